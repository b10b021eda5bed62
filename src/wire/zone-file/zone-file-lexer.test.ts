import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneFileLexer } from './zone-file-lexer.js';
import { ZoneFileError } from './zone-file-error.js';

/** Each entry as "tokens joined by |" with quoted tokens shown in quotes, and "_" first when the owner is blank. */
function entries(text: string): string[] {
  const lexer = new ZoneFileLexer(text, 'z.db');
  const out: string[] = [];
  for (let e = lexer.next(); e !== null; e = lexer.next()) {
    out.push((e.blankOwner ? '_|' : '') + e.tokens.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join('|'));
  }
  return out;
}

const cases: { name: string; text: string; want: string[] }[] = [
  { name: 'one entry per line', text: 'a A 1.2.3.4\nb A 5.6.7.8\n', want: ['a|A|1.2.3.4', 'b|A|5.6.7.8'] },
  { name: 'blank and comment-only lines are skipped', text: '\n; hi\n   \n\t; x\na A 1\n', want: ['a|A|1'] },
  { name: 'a leading blank marks the previous owner', text: 'a A 1\n  A 2\n\tA 3\n', want: ['a|A|1', '_|A|2', '_|A|3'] },
  { name: 'a comment ends the line', text: 'a TXT x;y\n', want: ['a|TXT|x'] },
  { name: 'parentheses join lines, comments inside', text: 'a SOA ns hm ( 1 ; serial\n 2 ; refresh\n 3 4 5 )\nb A 1\n',
    want: ['a|SOA|ns|hm|1|2|3|4|5', 'b|A|1'] },
  { name: 'nested parentheses', text: 'a X ((1)\n2)\n', want: ['a|X|1|2'] },
  { name: 'quoted strings keep spaces, ; and (', text: 'a TXT "x y" "a;b(" ;c\n', want: ['a|TXT|"x y"|"a;b("'] },
  { name: 'an escaped quote stays escaped', text: 'a TXT "say \\"hi\\""\n', want: ['a|TXT|"say \\"hi\\""'] },
  { name: 'a quote splits an unquoted token', text: 'a TXT a"b c"d\n', want: ['a|TXT|a|"b c"|d'] },
  { name: 'escapes stay in the token', text: 'a\\.b A \\059\\(\\; x\n', want: ['a\\.b|A|\\059\\(\\;|x'] },
  { name: 'CRLF line ends', text: 'a A 1\r\nb A 2\r\n', want: ['a|A|1', 'b|A|2'] },
  { name: 'a UTF-8 byte order mark is skipped', text: '\ufeffa A 1\n', want: ['a|A|1'] },
  { name: 'a byte order mark read as latin1 is skipped', text: '\xef\xbb\xbf a A 1\n', want: ['_|a|A|1'] },
  { name: 'no final newline', text: 'a A 1', want: ['a|A|1'] },
  { name: 'empty quoted string', text: 'a TXT ""\n', want: ['a|TXT|""'] },
  { name: 'blank owner decided by the entry\'s first line', text: 'a A 1\n ; c\nb ( A\n  2 )\n', want: ['a|A|1', 'b|A|2'] },
];

for (const c of cases) {
  test(`lexer: ${c.name}`, () => assert.deepEqual(entries(c.text), c.want));
}

test('lexer: tokens carry their 1-based line and column', () => {
  const lexer = new ZoneFileLexer('a A 1\n  b ( "x"\n\t y )\n', 'z.db');
  lexer.next();
  const e = lexer.next()!;
  assert.deepEqual(e.tokens.map((t) => [t.text, t.line, t.column]), [['b', 2, 3], ['x', 2, 7], ['y', 3, 3]]);
});

const errors: { name: string; text: string; want: string }[] = [
  { name: 'unterminated quote', text: 'a TXT "abc\ndef"\n', want: 'z.db:1:7: unterminated quoted string' },
  { name: 'unclosed parenthesis', text: 'a A 1\n\nb SOA ( 1 2\n 3\n', want: 'z.db:5:1: unbalanced parenthesis opened at line 3' },
  { name: 'stray closing parenthesis', text: 'a A 1 )\n', want: 'z.db:1:7: unbalanced parenthesis ")"' },
  { name: 'backslash at the end of a line', text: 'a TXT abc\\\n', want: 'z.db:1:10: backslash at the end of a line' },
];

for (const c of errors) {
  test(`lexer error: ${c.name}`, () => {
    const lexer = new ZoneFileLexer(c.text, 'z.db');
    assert.throws(() => { while (lexer.next() !== null) { /* drain */ } }, (err: unknown) => {
      assert.ok(err instanceof ZoneFileError);
      assert.equal(err.message, c.want);
      assert.equal(err.code, 'ZONE_FILE');
      return true;
    });
  });
}
