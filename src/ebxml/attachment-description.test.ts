import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatAttachmentDescription, parseAttachmentDescription } from './attachment-description.ts';

test('reads the multi-line description a supplier writes', () => {
  const d = parseAttachmentDescription(`
    Filename="1C135B3C-5AA5-4BF1-A08B-E6002455B806_image.tif"
    ContentType=image/tiff
    Compressed=Yes
    LargeAttachment=No
    OriginalBase64=Yes
    Length=3487
    DomainData="X-GP2GP-Skeleton: Yes"`);
  assert.deepEqual(d, {
    filename: '1C135B3C-5AA5-4BF1-A08B-E6002455B806_image.tif',
    contentType: 'image/tiff',
    compressed: true,
    largeAttachment: false,
    originalBase64: true,
    length: 3487,
    domainData: 'X-GP2GP-Skeleton: Yes',
  });
});

test('format then parse gives back the same description (property)', () => {
  const safe = fc.stringMatching(/^[A-Za-z0-9_. -]{1,30}$/);
  fc.assert(
    fc.property(
      fc.record(
        {
          filename: safe,
          contentType: fc.constantFrom('application/pdf', 'image/tiff', 'text/plain', 'application/xml'),
          compressed: fc.boolean(),
          largeAttachment: fc.boolean(),
          originalBase64: fc.boolean(),
          length: fc.nat(),
          domainData: safe,
        },
        { requiredKeys: ['filename'] },
      ),
      (d) => assert.deepEqual(parseAttachmentDescription(formatAttachmentDescription(d)), { ...d }),
    ),
  );
});

test('reads a DomainData value left unquoted, as some senders write it', () => {
  const d = parseAttachmentDescription(
    'Filename="x.gzip" ContentType=text/xml Compressed=Yes LargeAttachment=No OriginalBase64=Yes Length=10 DomainData=X-GP2GP-Skeleton: Yes',
  );
  assert.equal(d.domainData, 'X-GP2GP-Skeleton: Yes');
  assert.equal(d.length, 10);
  assert.equal(d.compressed, true);
});
