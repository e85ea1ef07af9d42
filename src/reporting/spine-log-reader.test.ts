import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../common/input-error.ts';
import { CsvParser, CsvSyntaxError } from './csv-parser.ts';
import { parseLogTime } from './log-time.ts';
import { readSpineLogText, SpineLogError } from './spine-log-reader.ts';
import type { SpineMessage } from './spine-message.ts';

function rows(...chunks: string[]): [string[], number][] {
  const out: [string[], number][] = [];
  const p = new CsvParser((f, line) => out.push([f, line]));
  for (const c of chunks) p.push(Buffer.from(c));
  p.end();
  return out;
}

describe('CSV (RFC 4180)', () => {
  test('quoted fields with commas, doubled quotes and line breaks; CRLF; no final line end', () => {
    assert.deepEqual(rows('a,"b,c","say ""hi"""\r\n"multi\nline",,x\r\n3,4,5'), [
      [['a', 'b,c', 'say "hi"'], 1],
      [['multi\nline', '', 'x'], 2],
      [['3', '4', '5'], 4],
    ]);
  });

  test('blank lines are skipped, an empty quoted field is empty', () => {
    assert.deepEqual(rows('a,""\n\n\nb,c\n'), [
      [['a', ''], 1],
      [['b', 'c'], 4],
    ]);
  });

  test('rows are the same however the bytes are split into chunks', () => {
    const text = 'h1,"h 2"\r\n"x,""y""\n",2\nplain,"é€"\n"last",';
    const whole = rows(text);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: Buffer.byteLength(text) - 1 }), { maxLength: 6 }),
        (cuts) => {
          const bytes = Buffer.from(text);
          const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          const parts: string[] = [];
          const p = new CsvParser((f, line) => parts.push(JSON.stringify([f, line])));
          for (let i = 0; i < at.length - 1; i++) p.push(bytes.subarray(at[i], at[i + 1]));
          p.end();
          assert.deepEqual(
            parts,
            whole.map((r) => JSON.stringify(r)),
          );
        },
      ),
    );
  });

  /** A CSV field as a writer would put it: quoted where it must be. */
  const written = (field: string): string =>
    /[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field;

  test('any rows written as CSV read back the same, however the bytes are cut (property)', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'é', '€', '😀', ',', '"', '\n', '\r', ' '),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        // a row of one empty field is a blank line, which is skipped
        fc.array(
          fc.array(field, { minLength: 1, maxLength: 4 }).filter((r) => r.length > 1 || r[0] !== ''),
          { minLength: 1, maxLength: 5 },
        ),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat({ max: 200 }), { maxLength: 6 }),
        (table, lineEnd, cuts) => {
          const bytes = Buffer.from(table.map((r) => r.map(written).join(',')).join(lineEnd));
          const at = [0, ...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length];
          const out: string[][] = [];
          const p = new CsvParser((f) => out.push(f));
          for (let i = 0; i < at.length - 1; i++) p.push(bytes.subarray(at[i], at[i + 1]));
          p.end();
          assert.deepEqual(out, table);
        },
      ),
    );
  });

  test('a row longer than the limit is refused as soon as it passes it, naming its line', () => {
    const limits = { maxRowBytes: 5 };
    const seen: string[][] = [];
    const p = new CsvParser((f) => seen.push(f), limits);
    p.push(Buffer.from('abcd\n')); // 5 bytes, line end included: at the limit
    assert.deepEqual(seen, [['abcd']]);
    p.push(Buffer.from('a,b'));
    p.push(Buffer.from('c'));
    assert.throws(
      () => p.push(Buffer.from('de')),
      (e: unknown) =>
        e instanceof CsvSyntaxError && e.line === 2 && /a row is longer than 5 bytes/.test(e.message),
    );
    const quoted = new CsvParser(() => {}, limits);
    assert.throws(() => quoted.push(Buffer.from('"a\n\nbcd')), /line 1: a row is longer than 5 bytes/);
  });

  test('an unclosed quote, text after a closing quote, a quote inside a bare field are refused with their line', () => {
    assert.throws(() => rows('a,b\n"open,c\n'), /line 2: a quoted field is never closed/);
    assert.throws(() => rows('a,"b"c\n'), /line 1: unexpected "c" after a closing quote/);
    assert.throws(() => rows('a,b\nx,y"z\n'), /line 2: a quote inside an unquoted field/);
  });
});

describe('_time', () => {
  test('the forms Spine exports use', () => {
    assert.equal(parseLogTime('2019-12-01T08:41:48.337+0000'), Date.UTC(2019, 11, 1, 8, 41, 48, 337));
    assert.equal(parseLogTime('2019-12-02 19:02:29.985 BST'), Date.UTC(2019, 11, 2, 18, 2, 29, 985));
    assert.equal(parseLogTime('2019-12-19 18:02:29.985 UTC'), Date.UTC(2019, 11, 19, 18, 2, 29, 985));
    assert.equal(parseLogTime('2020-03-01T10:00:00Z'), Date.UTC(2020, 2, 1, 10));
    assert.equal(parseLogTime('2020-03-01T10:00:00.5-01:30'), Date.UTC(2020, 2, 1, 11, 30, 0, 500));
    assert.equal(parseLogTime('2020-03-01 10:00:00'), Date.UTC(2020, 2, 1, 10));
  });

  test('not times', () => {
    for (const bad of [
      '',
      'yesterday',
      '2019-02-30T00:00:00Z',
      '2019-13-01T00:00:00Z',
      '2019-12-01T25:00:00Z',
    ])
      assert.equal(parseLogTime(bad), undefined, bad);
  });
});

describe('Spine log rows', () => {
  const header =
    '_time,conversationID,GUID,interactionID,messageSender,messageRecipient,messageRef,jdiEvent,toSystem,fromSystem';
  const read = (text: string): SpineMessage[] => {
    const out: SpineMessage[] = [];
    readSpineLogText(text, 'test.csv', (m) => out.push(m));
    return out;
  };

  test('columns are found by name, ASIDs keep leading zeros, NotProvided and NONE are absent', () => {
    const text =
      '"jdiEvent",messageRef,"_time",GUID,conversationID,interactionID,messageRecipient,messageSender\n' +
      'NONE,NotProvided,"2019-12-02 19:02:29.985 BST",G1,C1,"urn:nhs:names:services:gp2gp/RCMR_IN010000UK05",003456789123,123456789123\n' +
      '06,G1,2019-12-02T18:03:00.000+0000,G2,C1,urn:nhs:names:services:gp2gp/MCCI_IN010000UK13,123456789123,003456789123\n';
    const [req, ack] = read(text);
    assert.deepEqual(req, {
      time: Date.UTC(2019, 11, 2, 18, 2, 29, 985),
      conversationId: 'C1',
      guid: 'G1',
      kind: 'request',
      sender: '123456789123',
      recipient: '003456789123',
      messageRef: undefined,
      reasonCode: undefined,
      fromSystem: '',
      toSystem: '',
    });
    assert.equal(ack?.kind, 'ack');
    assert.equal(ack?.messageRef, 'G1');
    assert.equal(ack?.reasonCode, 6);
  });

  test('an interaction id without the gp2gp service prefix is not a GP2GP kind; a NOPAT extract is an extract', () => {
    const row = (interaction: string) =>
      `2020-01-01T00:00:00.000+0000,C,G,${interaction},1,2,NotProvided,NONE,,\n`;
    assert.equal(read(`${header}\n${row('RCMR_IN010000UK05')}`)[0]?.kind, 'other');
    assert.equal(
      read(`${header}\n${row('urn:nhs:names:services:gp2gp/RCMR_IN030000UK07')}`)[0]?.kind,
      'extract',
    );
    assert.equal(
      read(`${header}\n${row('urn:nhs:names:services:gp2gp/COPC_IN000001UK01')}`)[0]?.kind,
      'copc',
    );
  });

  const refused: [string, string, RegExp][] = [
    ['empty file', '', /test\.csv: line 1: empty file/],
    [
      'no Spine columns',
      'a,b,c\n1,2,3\n',
      /line 1: not a Spine log export: the header lacks _time, conversationID/,
    ],
    [
      'a short row',
      `${header}\n2020-01-01T00:00:00Z,C,G\n`,
      /line 2: expected 10 fields as in the header, found 3/,
    ],
    [
      'a bad time',
      `${header}\nsoon,C,G,I,1,2,NotProvided,NONE,,\n`,
      /line 2: _time "soon" is not a date and time/,
    ],
    [
      'a bad reason code',
      `${header}\n2020-01-01T00:00:00Z,C,G,I,1,2,R,AE,,\n`,
      /line 2: jdiEvent "AE" is neither NONE nor a reason code/,
    ],
    [
      'an open quote',
      `${header}\n"2020-01-01T00:00:00Z,C\n`,
      /test\.csv: line 2: a quoted field is never closed/,
    ],
  ];
  for (const [what, text, message] of refused) {
    test(`refused, naming file and line: ${what}`, () => {
      assert.throws(
        () => read(text),
        (e: unknown) => e instanceof SpineLogError && e instanceof InputError && message.test(e.message),
      );
    });
  }
});
