// Differential test: every row of test/corpus/queries.txt goes to BIND 9 and to
// mcns, both serving the zones of test/corpus/zones, over UDP (and the rows marked
// `tcp` over TCP too). The answers, decoded with dns-packet, must agree on rcode,
// header flags, the echoed question, EDNS, and each section as a multiset of
// records. Each query is its own test, so the TAP summary counts failing rows.
//
// MCNS_DIFF_PEER=knot compares Knot with BIND instead (to check the harness itself).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusZones, QUERY_TABLE_FILE } from './corpus/corpus-files.js';
import { readQueryTable, type QueryRow } from './differential/query-table.js';
import { queryServer, type ServerAddress } from './differential/dns-exchange.js';
import { decodeAnswer, type AnswerShape, type RecordLine } from './differential/answer-shape.js';
import { compareAnswers, formatMismatch, recordsMissingFrom } from './differential/answer-compare.js';
import { startBind } from './differential/bind-server.js';
import { startKnot } from './differential/knot-server.js';
import { startMcns } from './differential/launch-mcns.js';
import { freePort } from './helpers/free-port.js';

/** How a row covered by an intentional difference is compared instead of exactly. */
type WeakCompare = (reference: AnswerShape, tested: AnswerShape, row: QueryRow) => string[];

/** A known, deliberate difference from BIND's default behaviour. */
interface IntentionalDifference {
  readonly id: string;
  /** Why we differ from BIND here. */
  readonly reason: string;
  readonly applies: (row: QueryRow, reference: AnswerShape) => boolean;
  readonly compare: WeakCompare;
}

const NAMES = { reference: 'bind', tested: process.env['MCNS_DIFF_PEER'] === 'knot' ? 'knot' : 'mcns' } as const;

function isHinfoRfc8482(record: RecordLine, row: QueryRow): boolean {
  return record.type === 'HINFO' && record.owner.toLowerCase() === row.qname.toLowerCase() && record.rdata.startsWith('"RFC8482"');
}

/**
 * Every place where mcns deliberately answers unlike BIND 9.18 with default options.
 * Keep it short: each entry weakens the test for the rows it covers.
 */
const INTENTIONAL_DIFFERENCES: readonly IntentionalDifference[] = [
  {
    id: 'rfc8482-any',
    reason:
      'RFC 8482 4: a server may answer ANY with a subset of the RRsets (or one synthesized HINFO "RFC8482"); ' +
      'BIND 9.18 (minimal-any no) returns every RRset. Compared: header, question, EDNS, and that the answer ' +
      'is non-empty and holds only RRsets BIND also has (or the HINFO); authority and additional not compared.',
    applies: (row, reference) => row.qtype === 'ANY' && reference.rcode === 0 && reference.flags.aa && reference.answer.length > 0,
    compare: (reference, tested, row) => {
      const diffs = compareAnswers(reference, tested, NAMES, { sections: [] });
      if (tested.answer.length === 0) diffs.push(`answer: ${NAMES.tested} is empty, ${NAMES.reference} is not`);
      for (const r of recordsMissingFrom(tested.answer, reference.answer)) {
        if (!isHinfoRfc8482(r, row)) diffs.push(`answer: only ${NAMES.tested} has  ${r.key}`);
      }
      return diffs;
    },
  },
];

const rows = readQueryTable(QUERY_TABLE_FILE);
const zones = corpusZones();

interface RunningServer {
  readonly address: ServerAddress;
  stop(): Promise<void>;
}

let reference: RunningServer | undefined;
let tested: RunningServer | undefined;

before(async () => {
  const [bindPort, testedPort] = [await freePort(), await freePort()];
  const starting = await Promise.allSettled([
    startBind(zones, bindPort),
    NAMES.tested === 'knot' ? startKnot(zones, testedPort) : startMcns(zones, testedPort),
  ]);
  if (starting[0].status === 'fulfilled') reference = starting[0].value;
  if (starting[1].status === 'fulfilled') tested = starting[1].value;
  for (const outcome of starting) if (outcome.status === 'rejected') throw outcome.reason;
}, { timeout: 60000 });

after(async () => {
  await Promise.all([reference?.stop(), tested?.stop()]);
});

function flagSuffix(row: QueryRow): string {
  const shown = row.flagText.split(',').filter((f) => f !== '-' && f !== 'tcp');
  return shown.length === 0 ? '' : ` +${shown.join(' +')}`;
}

for (const row of rows) {
  const transports: readonly ('udp' | 'tcp')[] = row.flags.tcp ? ['udp', 'tcp'] : ['udp'];
  for (const transport of transports) {
    const title = `${transport} ${row.qnameText} ${row.qtype}${flagSuffix(row)} (queries.txt:${row.line}: ${row.why})`;
    test(title, { timeout: 10000 }, async () => {
      assert.ok(reference !== undefined && tested !== undefined, 'servers did not start (see the before hook)');
      const [referenceBytes, testedBytes] = await Promise.all([
        queryServer(reference.address, row, transport),
        queryServer(tested.address, row, transport),
      ]);
      const referenceAnswer = decodeAnswer(referenceBytes);
      let testedAnswer: AnswerShape;
      try {
        testedAnswer = decodeAnswer(testedBytes);
      } catch (error) {
        assert.fail(`${NAMES.tested} sent an answer dns-packet cannot decode (${String(error)}): ${testedBytes.toString('hex')}`);
      }
      const difference = INTENTIONAL_DIFFERENCES.find((d) => d.applies(row, referenceAnswer));
      const diffs = difference === undefined
        ? compareAnswers(referenceAnswer, testedAnswer, NAMES)
        : difference.compare(referenceAnswer, testedAnswer, row);
      if (diffs.length > 0) {
        const note = difference === undefined ? '' : ` [weaker comparison: ${difference.id}]`;
        assert.fail(formatMismatch(`${title}${note}`, diffs, referenceAnswer, testedAnswer, NAMES));
      }
    });
  }
}
