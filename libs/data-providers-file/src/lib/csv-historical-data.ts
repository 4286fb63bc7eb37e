import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  CSV_PARSE_OPTION_KEYS,
  applyBarRequest,
  BarBatch,
  BarRequest,
  CsvBarParser,
  CsvParseOptions,
  DataIssue,
  HistoricalData,
  HistoricalSeriesInfo,
  LoadReport,
  ResolvedCsvParseOptions,
  resolveCsvParseOptions,
  selectSeries,
  SeriesKind,
  validateBarRequest,
} from '@trading/data-providers';
import { CorruptionError, DataError, InstrumentId, ValidationError } from '@trading/domain';
import { BarCacheReader, BarCacheWriter, SourceFingerprint } from './bar-cache';

/** One CSV file served as a series. All {@link CsvParseOptions} apply (format, timeZone, …). */
export interface CsvSeriesConfig extends Omit<CsvParseOptions, 'source' | 'instrumentId'> {
  /** Instrument id `SYMBOL.VENUE`. */
  instrumentId: string;
  /** CSV path (relative paths resolve against `baseDir`). */
  path: string;
  /** Series name (unique per instrument); default: the file name. */
  source?: string;
}

/** Options of {@link CsvHistoricalData}. */
export interface CsvHistoricalDataOptions {
  /** The files. */
  series: readonly CsvSeriesConfig[];
  /** Binary cache directory (relative to `baseDir`), or `false` to always parse the CSV. Default `.cache/bars`. */
  cacheDir?: string | false;
  /** Base of relative paths. Default: the process working directory. */
  baseDir?: string;
  /** Bytes per file read. Default 4 MiB. */
  chunkSize?: number;
}

/** How the last load of a series was served. */
export type CacheOutcome = 'disabled' | 'hit' | 'miss' | 'stale' | 'corrupt';

/** {@link LoadReport} plus cache details. */
export interface CsvLoadReport extends LoadReport {
  /** `hit`: read from cache; `miss`/`stale`/`corrupt`: parsed and (re)built; `disabled`: parsed. */
  readonly cache: CacheOutcome;
  /** Cache file path (when caching). */
  readonly cacheFile?: string;
  /** Why the cache was rebuilt (corrupt/stale). */
  readonly cacheProblem?: string;
}

/** A resolved series. */
interface Series extends HistoricalSeriesInfo {
  readonly file: string;
  readonly parse: ResolvedCsvParseOptions;
  readonly input: CsvParseOptions;
  readonly kind?: SeriesKind;
}

/** Bump when parser output for the same input and options changes (invalidates caches). */
const PARSER_VERSION = 1;
const SERIES_KEYS: ReadonlySet<string> = new Set([...CSV_PARSE_OPTION_KEYS, 'path']);

/** Reads a file as UTF-8 text chunks of about `chunkSize` bytes (bounded memory). */
export async function* readTextChunks(
  file: string,
  chunkSize = 4 * 1024 * 1024,
): AsyncGenerator<string> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkSize);
    const dec = new StringDecoder('utf8');
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkSize, null);
      if (bytesRead === 0) break;
      const s = dec.write(bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead));
      if (s.length > 0) yield s;
    }
    const tail = dec.end();
    if (tail.length > 0) yield tail;
  } finally {
    await fh.close();
  }
}

/**
 * {@link HistoricalData} over CSV files: streamed parsing in chunks and a binary columnar cache
 * per series, so a re-run reads typed arrays instead of text. With the cache on, the CSV is
 * fully parsed (and validated) into the cache before the first batch is yielded, so a bad row
 * fails the load before any bar is used; without it, batches stream while parsing and an error
 * surfaces mid-stream.
 */
export class CsvHistoricalData implements HistoricalData {
  private readonly series: Series[];
  private readonly cacheDir: string | null;
  private readonly chunkSize: number;
  private readonly reports = new Map<string, CsvLoadReport>();
  private readonly building = new Map<string, Promise<void>>();

  constructor(options: CsvHistoricalDataOptions) {
    if (options === null || typeof options !== 'object')
      throw new ValidationError('options', options, 'must be an object');
    const baseDir = options.baseDir ?? process.cwd();
    if (typeof baseDir !== 'string' || baseDir === '')
      throw new ValidationError('baseDir', options.baseDir, 'must be a directory path');
    const cacheDir = options.cacheDir ?? '.cache/bars';
    if (cacheDir !== false && (typeof cacheDir !== 'string' || cacheDir === ''))
      throw new ValidationError('cacheDir', options.cacheDir, 'must be a directory path or false');
    this.cacheDir = cacheDir === false ? null : path.resolve(baseDir, cacheDir);
    this.chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
    if (
      !Number.isSafeInteger(this.chunkSize) ||
      this.chunkSize < 16 ||
      this.chunkSize > 256 * 1024 * 1024
    ) {
      throw new ValidationError(
        'chunkSize',
        options.chunkSize,
        'must be an integer number of bytes in [16, 256 MiB]',
      );
    }
    if (!Array.isArray(options.series) || options.series.length === 0)
      throw new ValidationError('series', options.series, 'must be a non-empty array of series');
    const seen = new Set<string>();
    this.series = options.series.map((cfg, i) => {
      const at = `series[${i}].`;
      if (cfg === null || typeof cfg !== 'object')
        throw new ValidationError(`series[${i}]`, cfg, 'must be an object');
      for (const k of Object.keys(cfg))
        if (!SERIES_KEYS.has(k))
          throw new ValidationError(
            at + k,
            (cfg as unknown as Record<string, unknown>)[k],
            'is not a known option',
          );
      if (typeof cfg.path !== 'string' || cfg.path === '')
        throw new ValidationError(at + 'path', cfg.path, 'must be a file path');
      const file = path.resolve(baseDir, cfg.path);
      const source = cfg.source ?? path.basename(file);
      const { path: _p, ...rest } = cfg;
      const input = { ...rest, source } as CsvParseOptions;
      const parse = resolveCsvParseOptions(input, at, false);
      const key = `${parse.instrumentId}\u0000${source}`;
      if (seen.has(key))
        throw new ValidationError(
          at + 'source',
          source,
          `duplicates another series of ${parse.instrumentId}; give each a distinct source`,
        );
      seen.add(key);
      return {
        instrumentId: parse.instrumentId,
        source,
        file,
        parse,
        input,
        kind: parse.format === 'tick' ? 'ticks' : parse.format === 'auto' ? undefined : 'bars',
        timeZone: parse.timeZone,
        sessionClose: parse.sessionClose,
      };
    });
  }

  /** {@inheritDoc HistoricalData.describe} */
  describe(): readonly HistoricalSeriesInfo[] {
    return this.series.map(({ instrumentId, source, kind, timeZone, sessionClose }) => ({
      instrumentId,
      source,
      kind,
      timeZone,
      sessionClose,
    }));
  }

  /** Report of the last load of a series (rows, skipped bad rows, cache outcome), if any. */
  loadReport(instrumentId: InstrumentId | string, source?: string): CsvLoadReport | undefined {
    const s = selectSeries(this.series, { instrumentId: instrumentId as InstrumentId, source });
    return this.reports.get(this.key(s));
  }

  /** {@inheritDoc HistoricalData.loadBars} */
  loadBars(request: BarRequest): AsyncIterable<BarBatch> {
    const req = validateBarRequest(request);
    const s = selectSeries(this.series, req);
    const raw: AsyncIterable<BarBatch> =
      this.cacheDir === null ? this.parseFile(s) : this.fromCache(s);
    if (!req.timeframe || s.kind) return applyBarRequest(raw, req, s);
    return this.afterKind(raw, req, s);
  }

  /** `auto` format: bars or ticks is known once the first batch has been parsed; then apply the request. */
  private async *afterKind(
    raw: AsyncIterable<BarBatch>,
    req: BarRequest,
    s: Series,
  ): AsyncGenerator<BarBatch> {
    const it = raw[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return;
    async function* rest(): AsyncGenerator<BarBatch> {
      try {
        yield first.value;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      } finally {
        await it.return?.();
      }
    }
    yield* applyBarRequest(rest(), req, { ...s, kind: this.kindOf(s) });
  }

  /** Parses the CSV and caches it now (no bars yielded); returns the report. */
  async warm(instrumentId: InstrumentId | string, source?: string): Promise<CsvLoadReport> {
    const s = selectSeries(this.series, { instrumentId: instrumentId as InstrumentId, source });
    for await (const _ of this.cacheDir === null ? this.parseFile(s) : this.fromCache(s, true)) {
      // drain
    }
    return this.reports.get(this.key(s)) as CsvLoadReport;
  }

  private readonly kinds = new Map<string, SeriesKind>();

  private kindOf(s: Series): SeriesKind {
    return s.kind ?? this.kinds.get(this.key(s)) ?? 'bars';
  }

  private key(s: Series): string {
    return `${s.instrumentId}\u0000${s.source}`;
  }

  private cacheFile(s: Series): string {
    const h = createHash('sha256').update(s.file).digest('hex').slice(0, 12);
    const safe = (x: string) => x.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
    return path.join(
      this.cacheDir as string,
      `${safe(s.instrumentId)}__${safe(s.source)}__${h}.bars`,
    );
  }

  private async fingerprint(s: Series): Promise<SourceFingerprint> {
    let st;
    try {
      st = await fsp.stat(s.file);
    } catch (e) {
      throw new DataError(
        `${s.source}: cannot read ${s.file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        { source: s.source, path: s.file },
      );
    }
    const { batchSize: _b, ...opts } = s.parse;
    const optionsHash = createHash('sha256')
      .update(JSON.stringify({ parser: PARSER_VERSION, opts }))
      .digest('hex')
      .slice(0, 32);
    return { size: st.size, mtimeMs: st.mtimeMs, optionsHash };
  }

  /** Streams the CSV through the parser. Records the report when done. */
  private async *parseFile(
    s: Series,
    onBatch?: (b: BarBatch) => Promise<void>,
  ): AsyncGenerator<BarBatch, { parser: CsvBarParser }> {
    await this.fingerprint(s); // clear error for a missing file
    const parser = new CsvBarParser(s.input);
    for await (const chunk of readTextChunks(s.file, this.chunkSize)) {
      for (const b of parser.push(chunk)) {
        if (parser.layout) this.kinds.set(this.key(s), parser.layout.kind);
        if (onBatch) await onBatch(b);
        else yield b;
      }
    }
    for (const b of parser.end()) {
      if (parser.layout) this.kinds.set(this.key(s), parser.layout.kind);
      if (onBatch) await onBatch(b);
      else yield b;
    }
    if (!onBatch) this.report(s, parser.stats, parser.issues, 'disabled');
    return { parser };
  }

  private report(
    s: Series,
    st: { rows: number; bars: number; skipped: number },
    issues: readonly DataIssue[],
    cache: CacheOutcome,
    extra: Partial<CsvLoadReport> = {},
  ): void {
    this.reports.set(this.key(s), {
      instrumentId: s.instrumentId,
      source: s.source,
      rows: st.rows,
      bars: st.bars,
      skipped: st.skipped,
      issues,
      fromCache: cache === 'hit',
      cache,
      ...extra,
    });
  }

  /** Serves from the cache, (re)building it first when missing, stale or corrupt. */
  private async *fromCache(s: Series, headerOnly = false): AsyncGenerator<BarBatch> {
    const file = this.cacheFile(s);
    let reader = await this.openValid(s, file);
    let yielded = 0;
    if (headerOnly) return;
    for (let attempt = 0; ; attempt++) {
      try {
        for await (const b of reader.batches(yielded)) {
          yielded += b.length;
          yield b;
        }
        return;
      } catch (e) {
        if (!(e instanceof CorruptionError) || attempt > 0) throw e;
        // A damaged block: rebuild from the CSV and continue after the bars already delivered.
        await this.build(s, file, await this.fingerprint(s), 'corrupt', e.message);
        reader = await this.reopen(file);
      }
    }
  }

  /** Opens the cache when it matches the CSV, else builds it. Sets the report. */
  private async openValid(s: Series, file: string): Promise<BarCacheReader> {
    const fp = await this.fingerprint(s);
    let outcome: CacheOutcome = 'miss';
    let problem: string | undefined;
    try {
      const r = await BarCacheReader.open(file);
      if (r) {
        const m = r.meta;
        if (
          m.instrumentId === s.instrumentId &&
          m.source === s.source &&
          m.fingerprint.size === fp.size &&
          m.fingerprint.mtimeMs === fp.mtimeMs &&
          m.fingerprint.optionsHash === fp.optionsHash
        ) {
          this.report(s, { rows: m.rows, bars: r.count, skipped: m.skipped }, m.issues, 'hit', {
            cacheFile: file,
          });
          this.kinds.set(this.key(s), r.kind);
          return r;
        }
        outcome = 'stale';
        problem = 'source file or options changed';
      }
    } catch (e) {
      if (!(e instanceof CorruptionError)) throw e;
      outcome = 'corrupt';
      problem = e.message;
    }
    await this.build(s, file, fp, outcome, problem);
    const r = await this.reopen(file);
    this.kinds.set(this.key(s), r.kind);
    return r;
  }

  private async reopen(file: string): Promise<BarCacheReader> {
    const r = await BarCacheReader.open(file);
    if (!r)
      throw new CorruptionError(`bar cache ${file} vanished after being built`, { path: file });
    return r;
  }

  /** Parses the CSV into a new cache file (one build at a time per file). */
  private async build(
    s: Series,
    file: string,
    fp: SourceFingerprint,
    outcome: CacheOutcome,
    problem?: string,
  ): Promise<void> {
    const pending = this.building.get(file);
    if (pending) return pending;
    const job = (async () => {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      let writer: BarCacheWriter | null = null;
      const uniq = `${process.pid}.${randomBytes(4).toString('hex')}`;
      try {
        const gen = this.parseFile(s, async (b) => {
          writer ??= await BarCacheWriter.create(file, uniq);
          await writer.append(b);
        });
        let r = await gen.next();
        while (!r.done) r = await gen.next();
        const { parser } = r.value;
        writer ??= await BarCacheWriter.create(file, uniq);
        const meta = {
          instrumentId: s.instrumentId,
          source: s.source,
          fingerprint: fp,
          rows: parser.stats.rows,
          skipped: parser.stats.skipped,
          issues: parser.issues,
        };
        await writer.finish(meta, parser.layout?.kind ?? 'bars');
        writer = null;
        this.report(s, parser.stats, parser.issues, outcome, {
          cacheFile: file,
          cacheProblem: problem,
        });
      } catch (e) {
        if (writer) await (writer as BarCacheWriter).abort();
        throw e;
      }
    })();
    this.building.set(file, job);
    try {
      await job;
    } finally {
      this.building.delete(file);
    }
  }
}
