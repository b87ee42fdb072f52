/**
 * A hostile XLSX: a zip of a few hundred KB whose one entry inflates to hundreds of MiB (a
 * decompression bomb). It is refused with a 400 while streaming, in bounded time and memory,
 * several at once, and the server goes on answering.
 */
import { crc32, createDeflateRaw } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/app.js';
import { mediaTypes } from './household-files.formats.js';

interface ZipEntry {
  name: string;
  /** The entry's content as pieces, each written `times` times (so nothing large is held). */
  pieces: { data: Buffer; times: number }[];
}

/** Deflates the pieces as a stream: the compressed bytes, CRC-32 and size of what they inflate to. */
async function deflate(entry: ZipEntry): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflater = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => deflater.on('end', resolve));
  let crc = 0;
  let size = 0;
  for (const piece of entry.pieces) {
    for (let index = 0; index < piece.times; index += 1) {
      crc = crc32(piece.data, crc);
      size += piece.data.length;
      if (!deflater.write(piece.data))
        await new Promise((resolve) => deflater.once('drain', resolve));
    }
  }
  deflater.end();
  await ended;
  return { data: Buffer.concat(out), crc, size };
}

/** A zip archive (deflated entries, no data descriptors) as a spreadsheet program writes one. */
async function zip(entries: ZipEntry[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { data, crc, size } = await deflate(entry);
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(crc >>> 0, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const text = (name: string, content: string): ZipEntry => ({
  name,
  pieces: [{ data: Buffer.from(content), times: 1 }],
});

/** A workbook whose first sheet names shared string 0, and that string is `payload`. */
function workbook(sharedStrings: ZipEntry['pieces'], sheetRows: ZipEntry['pieces'] = []) {
  return zip([
    text(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    text(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    text(
      'xl/workbook.xml',
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="households" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    text(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    {
      name: 'xl/sharedStrings.xml',
      pieces: [
        { data: Buffer.from('<?xml version="1.0"?><sst><si><t>'), times: 1 },
        ...sharedStrings,
        { data: Buffer.from('</t></si></sst>'), times: 1 },
      ],
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      pieces: [
        {
          data: Buffer.from(
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>',
          ),
          times: 1,
        },
        ...sheetRows,
        { data: Buffer.from('</sheetData></worksheet>'), times: 1 },
      ],
    },
  ]);
}

const mebibyte = Buffer.alloc(2 ** 20, 'A');

/** Made once for both dialects: deflating hundreds of MiB takes a few seconds. */
let bombs: Promise<{ cell: Buffer; flood: Buffer }> | undefined;
function makeBombs() {
  bombs ??= (async () => ({
    cell: await workbook([{ data: mebibyte, times: 400 }]),
    flood: await workbook(
      [{ data: Buffer.from('x'), times: 1 }],
      [{ data: Buffer.from('<row r="2"/>'.repeat(87_382)), times: 400 }],
    ),
  }))();
  return bombs;
}

describeEachDialect('an XLSX decompression bomb', (storage) => {
  let app: AwnApp;
  let registrar: SignedIn;
  beforeAll(async () => {
    app = await buildTestApp(storage());
    registrar = await loginAs(app, storage(), 'registrar');
  });
  afterAll(async () => {
    await app.close();
  });

  const upload = (body: Buffer) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/imports/households?dry_run=true',
      headers: { ...registrar.headers, 'content-type': mediaTypes.xlsx },
      payload: body,
    });

  /** Runs the uploads side by side, sampling the process's memory; answers the peak growth. */
  async function measured(bodies: Buffer[]) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const started = performance.now();
    try {
      const answers = await Promise.all(bodies.map(upload));
      return { answers, ms: performance.now() - started, growthMiB: (peak - baseline) / 2 ** 20 };
    } finally {
      clearInterval(sampler);
    }
  }

  it('refuses one cell that inflates to 400 MiB, four uploads at once, in bounded time and memory', async () => {
    const bomb = (await makeBombs()).cell;
    expect(bomb.length).toBeLessThan(600 * 1024);
    const { answers, ms, growthMiB } = await measured([bomb, bomb, bomb, bomb]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json<{ errors: { path: string; message: string }[] }>().errors).toEqual([
        { path: '/body', message: 'a cell holds more than 32767 characters' },
      ]);
    }
    expect(ms).toBeLessThan(20_000);
    expect(growthMiB).toBeLessThan(300);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });

  it('refuses a sheet of short markup that inflates past the limit, without reading it all', async () => {
    const flood = (await makeBombs()).flood;
    expect(flood.length).toBeLessThan(2 * 1024 * 1024);
    const { answers, ms, growthMiB } = await measured([flood]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json<{ errors: { message: string }[] }>().errors[0]?.message).toBe(
        'it unpacks to more than 256 MiB',
      );
    }
    expect(ms).toBeLessThan(30_000);
    expect(growthMiB).toBeLessThan(300);
  });
});
