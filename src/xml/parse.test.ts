import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { attr, child, textOf } from './element.ts';
import { parseXml, parseXmlStream } from './parse.ts';
import { serializeXml, type XmlSpec, x, xmlChars } from './write.ts';
import { XmlError } from './xml-error.ts';

function refused(fn: () => unknown, kind: XmlError['kind']): void {
  assert.throws(fn, (e: unknown) => e instanceof XmlError && e.kind === kind);
}

describe('parseXml', () => {
  test('resolves namespaces and keys attributes by local name', () => {
    const { root } = parseXml(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:eb="urn:eb"><eb:Ref eb:id="R1" href="h"/></soap:Envelope>',
    );
    assert.equal(root.local, 'Envelope');
    assert.equal(root.ns, 'http://schemas.xmlsoap.org/soap/envelope/');
    const ref = child(root, 'Ref');
    assert.equal(ref?.ns, 'urn:eb');
    assert.equal(attr(ref, 'id'), 'R1');
    assert.equal(attr(ref, 'href'), 'h');
  });

  test('decodes character references, CDATA and predefined entities in text', () => {
    const { root } = parseXml('<a>x &amp; y &#169; <![CDATA[<b>]]></a>');
    assert.equal(textOf(root), 'x & y © <b>');
  });

  test('an element with no prefix and no default namespace is in no namespace, without a warning', () => {
    const { root, warnings } = parseXml('<a><b/></a>');
    assert.equal(root.ns, '');
    assert.equal(child(root, 'b')?.ns, '');
    assert.deepEqual(warnings, []);
  });

  test('tolerates an undeclared prefix with a warning instead of failing', () => {
    const { root, warnings } = parseXml('<gp:Gp2gpfragment><gp:Version>01</gp:Version></gp:Gp2gpfragment>');
    assert.equal(textOf(child(root, 'Version')), '01');
    assert.match(warnings[0] ?? '', /prefix "gp" is not declared/);
  });

  test('refuses a DTD, so entity expansion (billion laughs) never happens', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    refused(() => parseXml(lol), 'forbidden');
  });

  test('refuses an external entity declaration', () => {
    refused(
      () => parseXml('<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>'),
      'forbidden',
    );
  });

  test('refuses an undeclared entity reference as malformed', () => {
    refused(() => parseXml('<a>&xxe;</a>'), 'malformed');
  });

  test('refuses truncated and mismatched documents as malformed', () => {
    refused(() => parseXml('<a><b></a>'), 'malformed');
    refused(() => parseXml('<a><b>'), 'malformed');
    refused(() => parseXml(''), 'malformed');
  });

  test('enforces depth, attribute-count and size limits', () => {
    refused(() => parseXml(`${'<a>'.repeat(50)}${'</a>'.repeat(50)}`, { limits: { maxDepth: 20 } }), 'limit');
    const attrs = Array.from({ length: 10 }, (_, i) => `a${i}="v"`).join(' ');
    refused(() => parseXml(`<a ${attrs}/>`, { limits: { maxAttributes: 5 } }), 'limit');
    refused(() => parseXml('<a>0123456789</a>', { limits: { maxBytes: 10 } }), 'limit');
  });

  test('counts namespace declarations against the attribute limit, inside pruned subtrees too', () => {
    const declarations = Array.from({ length: 6 }, (_, i) => `xmlns:p${i}="urn:p:${i}"`).join(' ');
    refused(() => parseXml(`<a ${declarations}/>`, { limits: { maxAttributes: 5 } }), 'limit');
    refused(
      () =>
        parseXml(`<a><folder><b ${declarations}/></folder></a>`, {
          limits: { maxAttributes: 5 },
          prune: (local) => local === 'folder',
        }),
      'limit',
    );
    const five = Array.from({ length: 5 }, (_, i) => `xmlns:p${i}="urn:p:${i}"`).join(' ');
    assert.equal(parseXml(`<a ${five}/>`, { limits: { maxAttributes: 5 } }).root.local, 'a');
  });

  test('names at most 20 undeclared prefixes in its warnings, then says there are more', () => {
    const elements = Array.from({ length: 50 }, (_, i) => `<q${i}:b/>`).join('');
    const { warnings } = parseXml(`<a>${elements}</a>`);
    assert.equal(warnings.length, 21);
    assert.match(warnings[0] ?? '', /prefix "q0" is not declared/);
    assert.match(warnings[20] ?? '', /more than 20 namespace prefixes are not declared/);
  });

  test('refuses bytes that are not valid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('<a>caf'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    refused(() => parseXml(bytes), 'encoding');
  });

  test('honours a declared ISO-8859-1 encoding', () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf'),
      Buffer.from([0xe9]),
      Buffer.from('</a>'),
    ]);
    assert.equal(textOf(parseXml(bytes).root), 'café');
  });

  test('prune leaves a subtree out of the tree but reports each element inside it', () => {
    const seen: string[] = [];
    const { root } = parseXml('<a><folder><s/><t><s/></t></folder><after v="1"/></a>', {
      prune: (local) => local === 'folder',
      onPruned: (local) => seen.push(local),
    });
    assert.deepEqual(
      root.children.map((c) => (typeof c === 'string' ? c : c.local)),
      ['after'],
    );
    assert.deepEqual(seen, ['folder', 's', 't', 's']);
    assert.equal(attr(root, 'v', 'after'), '1');
  });
});

test('release hands over each finished element and lets the caller take it out of the tree', () => {
  const seen: string[] = [];
  const { root } = parseXml('<folder><c n="1"><s/></c><c n="2"/><keep/></folder>', {
    release: (el, depth) => {
      if (el.local !== 'c' || depth !== 1) return false;
      seen.push(`${attr(el, 'n')}:${el.children.length}`);
      return true;
    },
  });
  assert.deepEqual(seen, ['1:1', '2:0']);
  assert.deepEqual(
    root.children.map((c) => (typeof c === 'string' ? c : c.local)),
    ['keep'],
  );
});

describe('parseXmlStream', () => {
  test('gives the same tree as a whole-text parse when fed in small chunks', async () => {
    const text = '<a xmlns="urn:x"><b c="1">héllo</b><d/></a>';
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const streamed = await parseXmlStream(Readable.from(chunks));
    assert.deepEqual(streamed.root, parseXml(text).root);
  });

  test('stops at the attribute limit while a start tag is still arriving, not once it is whole', async () => {
    let chunksRead = 0;
    async function* endlessStartTag(): AsyncGenerator<Buffer> {
      yield Buffer.from('<a');
      for (let i = 0; ; i++) {
        chunksRead++;
        yield Buffer.from(` xmlns:p${i}="urn:p:${i}" b${i}="v"`); // a declaration and an attribute each
      }
    }
    await assert.rejects(
      parseXmlStream(endlessStartTag(), { limits: { maxAttributes: 8, maxBytes: 1024 * 1024 } }),
      (e: unknown) => e instanceof XmlError && e.kind === 'limit' && /more than 8 attributes/.test(e.message),
    );
    // the first 200 bytes are held to tell the encoding; the refusal comes within a few chunks after
    assert.ok(chunksRead < 12, `${chunksRead} chunks read`);
  });

  test('finds the encoding from the first bytes as parseXml does: UTF-16 with a BOM, declared ISO-8859-1', async () => {
    const text = '<a b="café"><c>ünïcode €</c></a>';
    const utf16 = Buffer.from(`\uFEFF${text}`, 'utf16le');
    const latin1 = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf'),
      Buffer.from([0xe9]),
      Buffer.from('</a>'),
    ]);
    const inBytes = (bytes: Buffer) => Readable.from(Array.from(bytes, (b) => Buffer.from([b])));
    assert.deepEqual((await parseXmlStream(inBytes(utf16))).root, parseXml(text).root);
    assert.equal(textOf((await parseXmlStream(inBytes(latin1))).root), 'café');
  });

  test('refuses invalid UTF-8 split across chunks', async () => {
    await assert.rejects(
      parseXmlStream(Readable.from([Buffer.from('<a>'), Buffer.from([0xc3]), Buffer.from('</a>')])),
      (e: unknown) => e instanceof XmlError && e.kind === 'encoding',
    );
  });
});

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
const textValue = fc.string({ maxLength: 20, unit: 'binary' });
const attrs = fc.dictionary(name, textValue, { maxKeys: 4 });
const leaf = fc
  .tuple(name, attrs, fc.option(textValue.filter((t) => xmlChars(t).trim() !== '')))
  .map(([n, a, t]) => x(n, a, t ?? undefined));
const tree: fc.Arbitrary<XmlSpec> = fc.letrec<{ node: XmlSpec }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'tree' },
    leaf,
    fc.tuple(name, attrs, fc.array(tie('node'), { maxLength: 3 })).map(([n, a, kids]) => x(n, a, ...kids)),
  ),
})).node;

test('serializeXml then parseXml gives back every name, attribute and text, minus characters XML cannot carry (property)', () => {
  fc.assert(
    fc.property(tree, (spec) => {
      const { root } = parseXml(serializeXml(spec), { keepWhitespace: true });
      const same = (s: XmlSpec, e: typeof root): void => {
        assert.equal(e.local, s.name);
        const expected = Object.entries(s.attrs).map(([k, v]) => [k, xmlChars(String(v))]);
        assert.deepEqual({ ...e.attrs }, Object.fromEntries(expected));
        const kids = s.children.filter((c) => c !== '' && c !== undefined);
        assert.equal(e.children.length, kids.length);
        kids.forEach((k, i) => {
          if (typeof k === 'string') assert.equal(e.children[i], xmlChars(k));
          else same(k as XmlSpec, e.children[i] as typeof root);
        });
      };
      same(spec, root);
    }),
    { numRuns: 300 },
  );
});
