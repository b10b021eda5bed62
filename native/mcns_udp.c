// Batched UDP for the DNS listener (docs/adr/0004-batched-udp.md): one socket,
// read with recvmmsg and answered with sendmmsg, so that a burst of queries
// costs one trip into JavaScript and two system calls instead of a callback,
// an allocation and two system calls per datagram.
//
// The memory is JavaScript's: the listener hands over four buffers at open
// (datagrams in, replies out, lengths, source addresses), so JavaScript reads
// queries and writes replies in place and the garbage collector owns it all.
// Linux only (recvmmsg, sendmmsg); elsewhere the module is not built and the
// listener uses Node's dgram.
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

// Datagrams read per recvmmsg; the JavaScript side sizes its buffers from it.
#define BATCH 64
// One address slot per datagram: the client's sockaddr (sockaddr_in or
// sockaddr_in6) in the first NAME_BYTES, then, on a wildcard socket, the
// address the datagram was sent to (LOCAL_AT: int32 family, 0 for none; uint32
// interface index; 16 address bytes), so the reply leaves from that address.
#define ADDR_SLOT 128
#define NAME_BYTES 64
#define LOCAL_AT 64
// Control bytes per datagram: room for one in6_pktinfo (the larger of the two).
#define CONTROL_BYTES 64
// recvmmsg rounds per readable event before the loop gets a turn (timers,
// TCP, the API): at most BATCH * ROUNDS datagrams at a time.
#define ROUNDS 4

// meta (Int32Array of META_LEN): per datagram i, its length at i (-1 when
// cut short: larger than a slot), the reply's offset in `out` at BATCH + i and
// its length at 2 * BATCH + i (0: no reply); then the counters below.
#define META_IN 0
#define META_OUT_OFFSET BATCH
#define META_OUT_LENGTH (2 * BATCH)
#define META_SEND_ERRORS (3 * BATCH)
#define META_RECV_ERRORS (3 * BATCH + 1)
#define META_LEN (3 * BATCH + 2)

typedef struct listener {
  int fd;
  int closing;
  int pktinfo;  // bound to 0.0.0.0 or ::: read each datagram's destination, reply from it
  int owners;  // the uv handle and the JavaScript external: freed when both let go
  napi_env env;
  uv_poll_t poll;
  napi_ref on_batch;
  napi_ref on_closed;
  napi_ref buffers[4];
  napi_async_context async;
  uint8_t *out;
  size_t out_size;
  int32_t *meta;
  uint8_t *addrs;
  struct mmsghdr in_msgs[BATCH];
  struct iovec in_iov[BATCH];
  struct mmsghdr out_msgs[BATCH];
  struct iovec out_iov[BATCH];
  uint8_t in_control[BATCH][CONTROL_BYTES] __attribute__((aligned(8)));
  uint8_t out_control[BATCH][CONTROL_BYTES] __attribute__((aligned(8)));
} listener;

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "mcns_udp: " #call);   \
      return NULL;                                         \
    }                                                      \
  } while (0)

// An Error shaped like Node's system errors: message "bind EADDRINUSE 1.2.3.4:53", code, errno, syscall.
static void throw_system(napi_env env, const char *syscall, int err, const char *host, int port) {
  char message[256];
  const char *code = uv_err_name(-err);
  if (host != NULL) {
    snprintf(message, sizeof message, "%s %s %s:%d", syscall, code, host, port);
  } else {
    snprintf(message, sizeof message, "%s %s", syscall, code);
  }
  napi_value msg, code_value, errno_value, syscall_value, error;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value);
  napi_create_int32(env, -err, &errno_value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value);
  napi_create_error(env, code_value, msg, &error);
  napi_set_named_property(env, error, "errno", errno_value);
  napi_set_named_property(env, error, "syscall", syscall_value);
  napi_throw(env, error);
}

static void release(listener *l) {
  if (--l->owners > 0) return;
  free(l);
}

static void send_all(listener *l, int count) {
  int done = 0;
  while (done < count) {
    int sent = sendmmsg(l->fd, l->out_msgs + done, (unsigned int)(count - done), MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EINTR) continue;
      // This datagram only (buffer full, unreachable, too large): skip it.
      l->meta[META_SEND_ERRORS]++;
      done++;
      continue;
    }
    done += sent;
  }
}

static void call_js(listener *l, int count) {
  napi_env env = l->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value fn, recv, argv[1], result;
  napi_get_reference_value(env, l->on_batch, &fn);
  napi_get_global(env, &recv);  // make_callback wants an object as `this`
  napi_create_int32(env, count, &argv[0]);
  // make_callback runs the microtasks and process.nextTick queue afterwards, as Node's own I/O callbacks do.
  napi_status status = napi_make_callback(env, l->async, recv, fn, 1, argv, &result);
  if (status == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

// Notes in the address slot where datagram `h` was sent to (its IP_PKTINFO or IPV6_PKTINFO).
static void note_local(uint8_t *slot, struct msghdr *h) {
  int32_t none = 0;
  memcpy(slot + LOCAL_AT, &none, sizeof none);
  for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      int32_t family = AF_INET;
      uint32_t ifindex = 0;  // IPv4: the source address alone; routing picks the interface
      memcpy(slot + LOCAL_AT, &family, sizeof family);
      memcpy(slot + LOCAL_AT + 4, &ifindex, sizeof ifindex);
      memcpy(slot + LOCAL_AT + 8, &info.ipi_addr, 4);
      return;
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      int32_t family = AF_INET6;
      // A link-local address means something only on its interface; any other does not need one.
      uint32_t ifindex = IN6_IS_ADDR_LINKLOCAL(&info.ipi6_addr) ? info.ipi6_ifindex : 0;
      memcpy(slot + LOCAL_AT, &family, sizeof family);
      memcpy(slot + LOCAL_AT + 4, &ifindex, sizeof ifindex);
      memcpy(slot + LOCAL_AT + 8, &info.ipi6_addr, 16);
      return;
    }
  }
}

// Writes into `control` the ancillary data that sends a reply from the slot's noted
// address; returns its length, 0 when the slot notes none.
static size_t reply_control(const uint8_t *slot, size_t slot_len, uint8_t *control) {
  int32_t family;
  uint32_t ifindex;
  if (slot_len < LOCAL_AT + 24) return 0;
  memcpy(&family, slot + LOCAL_AT, sizeof family);
  memcpy(&ifindex, slot + LOCAL_AT + 4, sizeof ifindex);
  struct msghdr h = {0};
  h.msg_control = control;
  if (family == AF_INET) {
    h.msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
    struct in_pktinfo info;
    memset(&info, 0, sizeof info);
    info.ipi_ifindex = (int)ifindex;
    memcpy(&info.ipi_spec_dst, slot + LOCAL_AT + 8, 4);
    memcpy(CMSG_DATA(c), &info, sizeof info);
    return h.msg_controllen;
  }
  if (family == AF_INET6) {
    h.msg_controllen = CMSG_SPACE(sizeof(struct in6_pktinfo));
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
    struct in6_pktinfo info;
    memset(&info, 0, sizeof info);
    info.ipi6_ifindex = ifindex;
    memcpy(&info.ipi6_addr, slot + LOCAL_AT + 8, 16);
    memcpy(CMSG_DATA(c), &info, sizeof info);
    return h.msg_controllen;
  }
  return 0;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  listener *l = handle->data;
  (void)events;
  if (status < 0) return;
  for (int round = 0; round < ROUNDS && !l->closing; round++) {
    for (int i = 0; i < BATCH; i++) {
      l->in_msgs[i].msg_hdr.msg_namelen = NAME_BYTES;
      if (l->pktinfo) l->in_msgs[i].msg_hdr.msg_controllen = CONTROL_BYTES;
    }
    int n = recvmmsg(l->fd, l->in_msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) {
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) l->meta[META_RECV_ERRORS]++;
      return;
    }
    for (int i = 0; i < n; i++) {
      int cut = (l->in_msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
      l->meta[META_IN + i] = cut ? -1 : (int32_t)l->in_msgs[i].msg_len;
      l->meta[META_OUT_LENGTH + i] = 0;
      if (l->pktinfo) note_local(l->addrs + (size_t)i * ADDR_SLOT, &l->in_msgs[i].msg_hdr);
    }
    call_js(l, n);
    if (l->closing) return;
    int count = 0;
    for (int i = 0; i < n; i++) {
      int32_t length = l->meta[META_OUT_LENGTH + i];
      int32_t offset = l->meta[META_OUT_OFFSET + i];
      if (length <= 0 || offset < 0 || (size_t)offset + (size_t)length > l->out_size) continue;
      l->out_iov[count].iov_base = l->out + offset;
      l->out_iov[count].iov_len = (size_t)length;
      struct msghdr *h = &l->out_msgs[count].msg_hdr;
      h->msg_name = l->addrs + (size_t)i * ADDR_SLOT;
      h->msg_namelen = l->in_msgs[i].msg_hdr.msg_namelen;
      h->msg_iov = &l->out_iov[count];
      h->msg_iovlen = 1;
      h->msg_control = NULL;
      h->msg_controllen = 0;
      if (l->pktinfo) {
        size_t control = reply_control(l->addrs + (size_t)i * ADDR_SLOT, ADDR_SLOT, l->out_control[count]);
        if (control > 0) {
          h->msg_control = l->out_control[count];
          h->msg_controllen = control;
        }
      }
      h->msg_flags = 0;
      count++;
    }
    if (count > 0) send_all(l, count);
    if (n < BATCH) return;
  }
}

static void on_handle_closed(uv_handle_t *handle) {
  listener *l = handle->data;
  napi_env env = l->env;
  close(l->fd);
  l->fd = -1;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) == napi_ok) {
    napi_value fn, recv, result;
    if (l->on_closed != NULL && napi_get_reference_value(env, l->on_closed, &fn) == napi_ok && fn != NULL) {
      napi_get_global(env, &recv);
      napi_make_callback(env, l->async, recv, fn, 0, NULL, &result);
    }
    napi_close_handle_scope(env, scope);
  }
  if (l->on_closed != NULL) napi_delete_reference(env, l->on_closed);
  napi_delete_reference(env, l->on_batch);
  for (int i = 0; i < 4; i++) napi_delete_reference(env, l->buffers[i]);
  napi_async_destroy(env, l->async);
  release(l);
}

static void finalize_external(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release(data);
}

static listener *unwrap(napi_env env, napi_value value) {
  void *data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "mcns_udp: not a listener");
    return NULL;
  }
  return data;
}

static int buffer_of(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_buffer = false;
  if (napi_is_buffer(env, value, &is_buffer) == napi_ok && is_buffer) {
    return napi_get_buffer_info(env, value, data, length) == napi_ok;
  }
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  size_t elements, offset;
  napi_value array_buffer;
  if (napi_get_typedarray_info(env, value, &type, &elements, data, &array_buffer, &offset) != napi_ok) return 0;
  size_t width = type == napi_int32_array || type == napi_uint32_array ? 4 : 1;
  *length = elements * width;
  return 1;
}

// open(host, port, onBatch, in, slot, out, meta, addrs, bufferBytes) -> [listener, port]
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 9) {
    napi_throw_type_error(env, NULL, "mcns_udp.open: 9 arguments expected");
    return NULL;
  }
  char host[INET6_ADDRSTRLEN + 64];
  size_t host_len;
  int32_t port, slot, buffer_bytes;
  CHECK(env, napi_get_value_string_utf8(env, argv[0], host, sizeof host, &host_len));
  CHECK(env, napi_get_value_int32(env, argv[1], &port));
  CHECK(env, napi_get_value_int32(env, argv[4], &slot));
  CHECK(env, napi_get_value_int32(env, argv[8], &buffer_bytes));
  void *in, *out, *meta, *addrs;
  size_t in_len, out_len, meta_len, addrs_len;
  if (!buffer_of(env, argv[3], &in, &in_len) || !buffer_of(env, argv[5], &out, &out_len) ||
      !buffer_of(env, argv[6], &meta, &meta_len) || !buffer_of(env, argv[7], &addrs, &addrs_len)) {
    napi_throw_type_error(env, NULL, "mcns_udp.open: in, out, meta and addrs must be buffers");
    return NULL;
  }
  if (slot <= 0 || in_len < (size_t)slot * BATCH || meta_len < META_LEN * 4 || addrs_len < (size_t)ADDR_SLOT * BATCH ||
      out_len < 65535) {
    napi_throw_range_error(env, NULL, "mcns_udp.open: buffers smaller than the batch needs");
    return NULL;
  }
  struct addrinfo hints = {0}, *found = NULL;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  hints.ai_socktype = SOCK_DGRAM;
  char service[16];
  snprintf(service, sizeof service, "%d", port);
  int gai = getaddrinfo(host, service, &hints, &found);
  if (gai != 0 || found == NULL) {
    napi_throw_type_error(env, "EINVAL", "mcns_udp.open: the host is not an IP address");
    return NULL;
  }
  int family = found->ai_family;
  // On 0.0.0.0 or :: a host with several addresses would answer from whichever the
  // route picks, and clients drop a reply from an address they did not ask.
  int wildcard = family == AF_INET
    ? ((struct sockaddr_in *)found->ai_addr)->sin_addr.s_addr == htonl(INADDR_ANY)
    : IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)found->ai_addr)->sin6_addr);
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int err = errno;
    freeaddrinfo(found);
    throw_system(env, "socket", err, NULL, 0);
    return NULL;
  }
  int one = 1;
  // So that 0.0.0.0 and :: (or 127.0.0.1 and ::1) can share one port, as the dgram listener does.
  if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (wildcard) {
    int rc = family == AF_INET ? setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one)
                               : setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
    if (rc != 0) {
      int err = errno;
      freeaddrinfo(found);
      close(fd);
      throw_system(env, "setsockopt", err, host, port);
      return NULL;
    }
  }
  if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
    int err = errno;
    freeaddrinfo(found);
    close(fd);
    throw_system(env, "bind", err, host, port);
    return NULL;
  }
  freeaddrinfo(found);
  if (buffer_bytes > 0) {
    // Best effort, like setRecvBufferSize: the kernel caps it at net.core.rmem_max.
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  }
  struct sockaddr_storage bound;
  socklen_t bound_len = sizeof bound;
  int bound_port = port;
  if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) == 0) {
    bound_port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                   : ((struct sockaddr_in *)&bound)->sin_port);
  }

  listener *l = calloc(1, sizeof *l);
  if (l == NULL) {
    close(fd);
    napi_throw_error(env, "ENOMEM", "mcns_udp.open: out of memory");
    return NULL;
  }
  l->fd = fd;
  l->env = env;
  l->owners = 2;
  l->pktinfo = wildcard;
  l->out = out;
  l->out_size = out_len;
  l->meta = meta;
  l->addrs = addrs;
  memset(l->meta, 0, META_LEN * 4);
  for (int i = 0; i < BATCH; i++) {
    l->in_iov[i].iov_base = (uint8_t *)in + (size_t)i * (size_t)slot;
    l->in_iov[i].iov_len = (size_t)slot;
    l->in_msgs[i].msg_hdr.msg_name = l->addrs + (size_t)i * ADDR_SLOT;
    l->in_msgs[i].msg_hdr.msg_namelen = NAME_BYTES;
    if (l->pktinfo) {
      l->in_msgs[i].msg_hdr.msg_control = l->in_control[i];
      l->in_msgs[i].msg_hdr.msg_controllen = CONTROL_BYTES;
    }
    l->in_msgs[i].msg_hdr.msg_iov = &l->in_iov[i];
    l->in_msgs[i].msg_hdr.msg_iovlen = 1;
  }
  napi_create_reference(env, argv[2], 1, &l->on_batch);
  napi_create_reference(env, argv[3], 1, &l->buffers[0]);
  napi_create_reference(env, argv[5], 1, &l->buffers[1]);
  napi_create_reference(env, argv[6], 1, &l->buffers[2]);
  napi_create_reference(env, argv[7], 1, &l->buffers[3]);
  napi_value resource, resource_name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "mcns.udp", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, resource, resource_name, &l->async);

  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  int rc = uv_poll_init_socket(loop, &l->poll, fd);
  if (rc == 0) {
    l->poll.data = l;
    rc = uv_poll_start(&l->poll, UV_READABLE, on_readable);
  }
  if (rc != 0) {
    // Not reached in practice; undo everything the way a close would, without a callback.
    l->closing = 1;
    l->owners = 1;
    l->poll.data = l;
    uv_close((uv_handle_t *)&l->poll, on_handle_closed);
    throw_system(env, "uv_poll_start", -rc, NULL, 0);
    return NULL;
  }

  napi_value external, port_value, result;
  CHECK(env, napi_create_external(env, l, finalize_external, NULL, &external));
  CHECK(env, napi_create_int32(env, bound_port, &port_value));
  CHECK(env, napi_create_array_with_length(env, 2, &result));
  napi_set_element(env, result, 0, external);
  napi_set_element(env, result, 1, port_value);
  return result;
}

// close(listener, onClosed): stops reading; onClosed runs once the socket is closed.
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  listener *l = unwrap(env, argv[0]);
  if (l == NULL) return NULL;
  if (l->closing) return NULL;
  l->closing = 1;
  if (argc >= 2) napi_create_reference(env, argv[1], 1, &l->on_closed);
  uv_poll_stop(&l->poll);
  uv_close((uv_handle_t *)&l->poll, on_handle_closed);
  return NULL;
}

static socklen_t address_length(const uint8_t *addr, size_t length) {
  sa_family_t family;
  if (length < sizeof family) return 0;
  memcpy(&family, addr, sizeof family);
  if (family == AF_INET && length >= sizeof(struct sockaddr_in)) return sizeof(struct sockaddr_in);
  if (family == AF_INET6 && length >= sizeof(struct sockaddr_in6)) return sizeof(struct sockaddr_in6);
  return 0;
}

// sendTo(listener, data, address) -> 0, or the negative errno. For replies that
// come later than their batch (forwarded queries); `address` is a copy of the
// datagram's address slot (the first 96 bytes at least, to reply from the
// address it was sent to).
static napi_value js_send_to(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  listener *l = unwrap(env, argv[0]);
  if (l == NULL) return NULL;
  void *data, *addr;
  size_t length, addr_len;
  if (argc < 3 || !buffer_of(env, argv[1], &data, &length) || !buffer_of(env, argv[2], &addr, &addr_len)) {
    napi_throw_type_error(env, NULL, "mcns_udp.sendTo: data and address must be buffers");
    return NULL;
  }
  int rc = 0;
  socklen_t name_len = address_length(addr, addr_len);
  if (l->closing || l->fd < 0) {
    rc = -EBADF;
  } else if (name_len == 0) {
    rc = -EINVAL;
  } else {
    struct iovec iov = {data, length};
    uint8_t control[CONTROL_BYTES] __attribute__((aligned(8)));
    struct msghdr h = {0};
    h.msg_name = addr;
    h.msg_namelen = name_len;
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    size_t control_len = l->pktinfo ? reply_control(addr, addr_len, control) : 0;
    if (control_len > 0) {
      h.msg_control = control;
      h.msg_controllen = control_len;
    }
    ssize_t sent;
    do {
      sent = sendmsg(l->fd, &h, MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) rc = -errno;
  }
  CHECK(env, napi_create_int32(env, rc, &result));
  return result;
}

// addressOf(addrs, i) -> the source address of datagram i as text ("192.0.2.1", "2001:db8::1").
static napi_value js_address_of(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *addrs;
  size_t length;
  int32_t index;
  if (argc < 2 || !buffer_of(env, argv[0], &addrs, &length) || napi_get_value_int32(env, argv[1], &index) != napi_ok ||
      index < 0 || (size_t)(index + 1) * ADDR_SLOT > length) {
    napi_throw_range_error(env, NULL, "mcns_udp.addressOf: no such address slot");
    return NULL;
  }
  const uint8_t *slot = (const uint8_t *)addrs + (size_t)index * ADDR_SLOT;
  char text[INET6_ADDRSTRLEN] = "";
  sa_family_t family;
  memcpy(&family, slot, sizeof family);
  if (family == AF_INET) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *)slot)->sin_addr, text, sizeof text);
  } else if (family == AF_INET6) {
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)slot)->sin6_addr, text, sizeof text);
  }
  CHECK(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
    {"sendTo", NULL, js_send_to, NULL, NULL, NULL, napi_default, NULL},
    {"addressOf", NULL, js_address_of, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  napi_value batch, addr_slot, meta_len, addr_copy;
  napi_create_int32(env, LOCAL_AT + 24, &addr_copy);
  napi_set_named_property(env, exports, "ADDR_COPY", addr_copy);
  napi_create_int32(env, BATCH, &batch);
  napi_create_int32(env, ADDR_SLOT, &addr_slot);
  napi_create_int32(env, META_LEN, &meta_len);
  napi_set_named_property(env, exports, "BATCH", batch);
  napi_set_named_property(env, exports, "ADDR_SLOT", addr_slot);
  napi_set_named_property(env, exports, "META_LEN", meta_len);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
