// Compares two decoded answers: rcode, opcode, header flags, the echoed question,
// EDNS presence and DO, and each section as a multiset of records (owner
// lowercased, TTL, class, type, RDATA), order-insensitive.
import { formatDigText, rcodeName, type AnswerShape, type RecordLine, type ShapeFlags } from './answer-shape.js';

/** The sections compared as record multisets. */
export type SectionName = 'answer' | 'authority' | 'additional';

/** The three record sections, in message order. */
export const SECTIONS: readonly SectionName[] = ['answer', 'authority', 'additional'];

const FLAG_NAMES: readonly (keyof ShapeFlags)[] = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'];

/** Records present in `a` more often than in `b` (multiset difference), by key. */
export function recordsMissingFrom(a: readonly RecordLine[], b: readonly RecordLine[]): RecordLine[] {
  const counts = new Map<string, number>();
  for (const r of b) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  const missing: RecordLine[] = [];
  for (const r of a) {
    const left = counts.get(r.key) ?? 0;
    if (left > 0) counts.set(r.key, left - 1);
    else missing.push(r);
  }
  return missing;
}

/** What to compare; everything by default. */
export interface CompareScope {
  readonly sections?: readonly SectionName[];
  /** Compare the question section (case-sensitive). */
  readonly question?: boolean;
  /** Compare EDNS presence, version and the DO bit. */
  readonly edns?: boolean;
}

/**
 * The differences between a reference answer and the answer under test, one line
 * each, naming which side has what; empty when they match.
 */
export function compareAnswers(
  reference: AnswerShape,
  tested: AnswerShape,
  names: { readonly reference: string; readonly tested: string },
  scope: CompareScope = {},
): string[] {
  const diffs: string[] = [];
  const side = (ref: string, got: string): string => `${names.reference} ${ref}, ${names.tested} ${got}`;
  if (reference.rcode !== tested.rcode) diffs.push(`rcode: ${side(rcodeName(reference.rcode), rcodeName(tested.rcode))}`);
  if (reference.opcode !== tested.opcode) diffs.push(`opcode: ${side(String(reference.opcode), String(tested.opcode))}`);
  for (const flag of FLAG_NAMES) {
    if (reference.flags[flag] !== tested.flags[flag]) {
      diffs.push(`flag ${flag.toUpperCase()}: ${side(reference.flags[flag] ? 'set' : 'clear', tested.flags[flag] ? 'set' : 'clear')}`);
    }
  }
  if (scope.question !== false && reference.questions.join('|') !== tested.questions.join('|')) {
    diffs.push(`question: ${side(JSON.stringify(reference.questions), JSON.stringify(tested.questions))}`);
  }
  if (scope.edns !== false) {
    const ref = reference.edns;
    const got = tested.edns;
    if ((ref === null) !== (got === null)) {
      diffs.push(`OPT record: ${side(ref === null ? 'absent' : 'present', got === null ? 'absent' : 'present')}`);
    } else if (ref !== null && got !== null) {
      if (ref.version !== got.version) diffs.push(`EDNS version: ${side(String(ref.version), String(got.version))}`);
      if (ref.do !== got.do) diffs.push(`EDNS DO: ${side(ref.do ? 'set' : 'clear', got.do ? 'set' : 'clear')}`);
    }
  }
  for (const section of scope.sections ?? SECTIONS) {
    for (const r of recordsMissingFrom(reference[section], tested[section])) {
      diffs.push(`${section}: only ${names.reference} has  ${r.key}`);
    }
    for (const r of recordsMissingFrom(tested[section], reference[section])) {
      diffs.push(`${section}: only ${names.tested} has  ${r.key}`);
    }
  }
  return diffs;
}

/** A readable report of one mismatching query: the differences, then both answers in dig's layout. */
export function formatMismatch(
  title: string,
  diffs: readonly string[],
  reference: AnswerShape,
  tested: AnswerShape,
  names: { readonly reference: string; readonly tested: string },
): string {
  return [
    `${title}`,
    ...diffs.map((d) => `  - ${d}`),
    `--- ${names.reference}`,
    formatDigText(reference),
    `--- ${names.tested}`,
    formatDigText(tested),
  ].join('\n');
}
