// Finds every `mcns VERB ... --flag` the runbook mentions and checks it against
// the real CLI's help (`mcns VERB --help`), so that the runbook can only name
// commands and options that exist.
import { execFileSync } from 'node:child_process';

/** One mention of the mcns command: the words after `mcns` up to the end of the command. */
export interface McnsMention {
  /** The words that are not options, in order ("zone", "list", "example.com."). */
  readonly words: readonly string[];
  /** Options as written, without values ("--config", "-v"). */
  readonly flags: readonly string[];
  /** The command text, for messages. */
  readonly text: string;
}

/** What `mcns ... --help` says about one command. */
export interface CommandHelp {
  /** Subcommand names, when it has any. */
  readonly subcommands: readonly string[];
  /** Every option it accepts, long and short. */
  readonly flags: ReadonlySet<string>;
}

/** Drops what comes before the command word: assignments, `sudo [-u USER]`, `docker compose ... exec SERVICE`, `exec`. */
function commandWords(tokens: readonly string[]): readonly string[] {
  let t = [...tokens];
  for (;;) {
    const first = t[0];
    if (first === undefined) return t;
    if (/^[A-Za-z_]\w*=/.test(first) || first === 'exec' || first === 'env' || first === 'nohup' || first === 'time') {
      t = t.slice(1);
    } else if (first === 'sudo') {
      t = t.slice(1);
      while (t[0]?.startsWith('-') === true) t = t.slice(/^-[ugCD]$/.test(t[0] ?? '') ? 2 : 1);
    } else if (first === 'docker' && t[1] === 'compose') {
      const at = t.findIndex((w) => w === 'exec' || w === 'run');
      if (at === -1) return [];
      t = t.slice(at + 1);
      while (t[0]?.startsWith('-') === true) t = t.slice(/^-(?:u|e|w|-user|-env|-workdir)$/.test(t[0] ?? '') ? 2 : 1);
      t = t.slice(1);
    } else {
      return t;
    }
  }
}

/** Every `mcns VERB ...` run as a command in a piece of shell text (line continuations joined, comments dropped). */
export function findMcnsMentions(shell: string): McnsMention[] {
  const mentions: McnsMention[] = [];
  for (const line of shell.replace(/\\\n\s*/g, ' ').split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '');
    // Simple commands: split at $( ( ) ` ; | && || (inside quotes too: a piece of a quoted
    // string never starts with the word mcns followed by a verb that matters here).
    for (const part of code.split(/\$\(|&&|\|\||[;|()`]/)) {
      const words = commandWords(part.match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^\s<>]+/g) ?? []);
      if (words[0] !== 'mcns' || words.length < 2 || !/^[a-z]/.test(words[1] ?? '')) continue;
      const args = words.slice(1);
      mentions.push({
        words: args.filter((w) => !/^--?[a-zA-Z]/.test(w)),
        flags: args.filter((w) => /^--?[a-zA-Z]/.test(w)).map((f) => f.replace(/=.*$/, '')),
        text: words.join(' '),
      });
    }
  }
  return mentions;
}

/** Reads the Commands and Options sections of commander's help text. */
export function parseHelp(help: string): CommandHelp {
  const subcommands: string[] = [];
  const flags = new Set<string>();
  let section = '';
  for (const line of help.split('\n')) {
    const title = /^(\w[\w ]*):\s*$/.exec(line);
    if (title !== null) {
      section = title[1] ?? '';
      continue;
    }
    if (section === 'Commands') {
      const c = /^ {2}([a-z][\w-]*)/.exec(line);
      if (c !== null && c[1] !== 'help') subcommands.push(c[1] ?? '');
    } else if (section === 'Options') {
      const o = /^ {2}(-\S.*?)(?: {2,}|$)/.exec(line);
      for (const f of o?.[1]?.matchAll(/--?[a-zA-Z][\w-]*/g) ?? []) flags.add(f[0]);
    }
  }
  return { subcommands, flags };
}

/** Runs `node MCNS_BIN ...args --help` and parses it; memoized per argument list. */
export function helpReader(nodeBin: string, mcnsBin: string): (args: readonly string[]) => CommandHelp & { readonly text: string } {
  const cache = new Map<string, CommandHelp & { readonly text: string }>();
  return (args) => {
    const key = args.join(' ');
    let h = cache.get(key);
    if (h === undefined) {
      const text = execFileSync(nodeBin, [mcnsBin, ...args, '--help'], { encoding: 'utf8' });
      h = { ...parseHelp(text), text };
      cache.set(key, h);
    }
    return h;
  };
}

/** Problems with one mention: an unknown verb or subcommand, or an option the command does not take. */
export function checkMention(mention: McnsMention, help: (args: readonly string[]) => CommandHelp): string[] {
  const path: string[] = [];
  let current = help([]);
  for (const word of mention.words) {
    if (current.subcommands.length === 0) break;
    if (!current.subcommands.includes(word)) {
      return [`"${mention.text}": "${word}" is not a command of "mcns${path.map((p) => ` ${p}`).join('')}" (${current.subcommands.join(', ')})`];
    }
    path.push(word);
    current = help(path);
  }
  if (current.subcommands.length > 0) {
    return [`"${mention.text}": "mcns ${path.join(' ')}" needs one of ${current.subcommands.join(', ')}`];
  }
  return mention.flags
    .filter((f) => !current.flags.has(f))
    .map((f) => `"${mention.text}": "mcns ${path.join(' ')}" has no option ${f}`);
}
