// Which text encoding a file is in. Chinese core banking systems still export GBK; everything else
// is UTF-8, sometimes with a byte-order mark. Decoding the start of the file as UTF-8 tells them apart.
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';

const SAMPLE_BYTES = 64 * 1024;

export function isSupportedEncoding(encoding: string): boolean {
  return iconv.encodingExists(encoding);
}

/** UTF-8 unless the sample is mostly not valid UTF-8; then GB18030 (a superset of GBK). */
export function detectEncodingOf(sample: Uint8Array): 'utf-8' | 'gb18030' {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  // A sample cut mid-character leaves at most three stray bytes at its end.
  const text = new TextDecoder('utf-8').decode(sample.subarray(0, Math.max(0, sample.length - 3)));
  let replaced = 0;
  let nonAscii = 0;
  for (const character of text) {
    if (character === '\uFFFD') replaced += 1;
    else if (character.charCodeAt(0) > 0x7f) nonAscii += 1;
  }
  // One bad row in a UTF-8 file stays UTF-8 (and is rejected); GBK text decodes to mostly U+FFFD.
  return replaced > nonAscii ? 'gb18030' : 'utf-8';
}

export async function detectEncoding(path: string): Promise<'utf-8' | 'gb18030'> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(SAMPLE_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SAMPLE_BYTES, 0);
    return detectEncodingOf(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
