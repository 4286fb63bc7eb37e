import { DataError, InstrumentId, ValidationError } from '@trading/domain';
import { BarBatch, BarBatchBuilder, concatBarBatches } from './bar-batch';
import {
  CsvFormat,
  CsvParseOptions,
  ResolvedCsvParseOptions,
  resolveCsvParseOptions,
  SeriesKind,
} from './csv-options';
import { POW10, slowDecimal } from './fast-number';
import { daysFromCivil, daysInMonth, ZoneConverter } from './zone-time';

/** One rejected input row. */
export interface DataIssue {
  /** Input name (file). */
  readonly source: string;
  /** 1-based line number in the input. */
  readonly line: number;
  /** What is wrong. */
  readonly message: string;
  /** The row text (truncated to 200 chars). */
  readonly text: string;
}

/** Counters of one parse. */
export interface CsvParseStats {
  /** Data rows seen (header and blank lines excluded). */
  readonly rows: number;
  /** Bars emitted. */
  readonly bars: number;
  /** Bad rows skipped (`skipBadRows`). */
  readonly skipped: number;
}

/** The layout the parser settled on. */
export interface CsvLayout {
  /** Resolved format (never `auto`). */
  readonly format: Exclude<CsvFormat, 'auto'>;
  /** Bars or ticks. */
  readonly kind: SeriesKind;
  /** Role of every field, in order (`date`, `time`, `open`, …, `skip`). */
  readonly columns: readonly string[];
  /** Whether the file had a header line. */
  readonly header: boolean;
  /** The delimiter. */
  readonly delimiter: string;
}

// Local copies: hot loops must not go through re-export getters of other modules.
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SKIP = 0;
const DATETIME = 1;
const TIME = 2;
const OPEN = 3;
const HIGH = 4;
const LOW = 5;
const CLOSE = 6;
const ADJ = 7;
const VOL = 8;
const PRICE = 9;
const SIZE = 10;
const ROLE_NAMES = [
  'skip',
  'date',
  'time',
  'open',
  'high',
  'low',
  'close',
  'adjClose',
  'volume',
  'price',
  'size',
];

const HEADER_NAMES: Record<string, number> = {
  date: DATETIME,
  day: DATETIME,
  datetime: DATETIME,
  timestamp: DATETIME,
  ts: DATETIME,
  time: TIME,
  open: OPEN,
  o: OPEN,
  high: HIGH,
  h: HIGH,
  low: LOW,
  l: LOW,
  close: CLOSE,
  c: CLOSE,
  last: CLOSE,
  adjclose: ADJ,
  adjustedclose: ADJ,
  volume: VOL,
  vol: VOL,
  v: VOL,
  price: PRICE,
  size: SIZE,
  qty: SIZE,
  quantity: SIZE,
  amount: SIZE,
};

function headerRole(name: string): number {
  const key = name
    .trim()
    .replace(/^"|"$/g, '')
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');
  return HEADER_NAMES[key] ?? SKIP;
}

/** `H:MM`, `HH:MM` or `HH:MM:SS…` at the start of a field. */
const TIME_LIKE = /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Streaming CSV → {@link BarBatch} parser (pure: feed it text chunks). Hand-written over the
 * string (indexOf/charCodeAt), exact fast decimal conversion, arithmetic dates with a cached zone
 * offset per local hour. See the lib README for layouts and timestamp rules.
 *
 * ```ts
 * const p = new CsvBarParser({ instrumentId: 'ORCL.XNAS', source: 'orcl.csv', timeZone: 'America/New_York' });
 * for (const chunk of chunks) for (const batch of p.push(chunk)) use(batch);
 * for (const batch of p.end()) use(batch);
 * ```
 */
export class CsvBarParser {
  /** Validated options. */
  readonly options: ResolvedCsvParseOptions;
  /** Bad rows reported so far (at most `maxIssues`). */
  readonly issues: DataIssue[] = [];
  private readonly builder: BarBatchBuilder;
  private readonly conv: ZoneConverter | null;
  private rest = '';
  private started = false;
  private ended = false;
  private line = 0;
  private rows = 0;
  private bars = 0;
  private skipped = 0;
  private lastTs = -Infinity;
  // layout
  private delim = 44;
  private delimChar = ',';
  private headerNames: string[] | null = null;
  private roles: number[] | null = null;
  private layoutInfo: CsvLayout | null = null;
  private kind: SeriesKind = 'bars';
  private ticks = false;
  private adjCol = false;
  /** Parsed numeric fields by role (roles absent from the layout keep their defaults: NaN, volume/size 0). */
  private readonly vals = new Float64Array(11).fill(NaN);
  private readonly sessionCloseMs: number;
  /** Added to intraday bar times: barDurationMs for bar-open files. */
  private openShift = 0;
  // per-row scratch written by the date/time field parsers
  private day = 0;
  private lastDateKey = NaN;
  private lastDateDay = 0;
  private tod = -1;
  private offsetMs = NaN;
  private abs = NaN;
  private p = 0;

  constructor(options: CsvParseOptions) {
    this.options = resolveCsvParseOptions(options);
    this.builder = new BarBatchBuilder(this.options.instrumentId, this.options.batchSize);
    this.conv = this.options.timeZone ? ZoneConverter.for(this.options.timeZone) : null;
    if (this.options.delimiter) this.setDelimiter(this.options.delimiter);
    this.sessionCloseMs = this.options.sessionCloseMs;
    this.vals[VOL] = 0;
    this.vals[SIZE] = 0;
  }

  /** Instrument of the emitted batches. */
  get instrumentId(): InstrumentId {
    return this.options.instrumentId;
  }

  /** The detected layout (after the first data row), else null. */
  get layout(): CsvLayout | null {
    return this.layoutInfo;
  }

  /** Counters so far. */
  get stats(): CsvParseStats {
    return { rows: this.rows, bars: this.bars, skipped: this.skipped };
  }

  /** Feeds a text chunk (any split, even mid-line); returns the batches completed so far. */
  push(chunk: string): BarBatch[] {
    if (this.ended)
      throw new ValidationError('chunk', chunk.length, 'cannot be pushed after end()');
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let from = 0;
    if (this.rest.length > 0) {
      // Complete the carried-over line on its own, so the bulk is parsed straight from `chunk`
      // (a flat string: no cons-string indirection on every charCodeAt).
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.rest += chunk;
        return this.builder.takeFull();
      }
      const head = this.rest + chunk.slice(0, nl + 1);
      this.rest = '';
      this.parseLines(head, 0, head.length - 1);
      from = nl + 1;
    }
    const lastNl = chunk.lastIndexOf('\n');
    if (lastNl < from) {
      this.rest = chunk.slice(from);
      return this.builder.takeFull();
    }
    this.parseLines(chunk, from, lastNl); // no slicing: sliced strings slow down charCodeAt
    this.rest = lastNl + 1 < chunk.length ? chunk.slice(lastNl + 1) : '';
    return this.builder.takeFull();
  }

  /** Ends the input: parses the last line and returns the remaining batches (the partial last one too). */
  end(): BarBatch[] {
    if (!this.ended) {
      this.ended = true;
      let s = this.rest;
      this.rest = '';
      if (!this.started && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      if (s.length > 0) this.parseLines(s, 0, s.length);
    }
    return this.builder.takeAll();
  }

  /** Parses lines of `s` from index `from` up to index `stop` (a '\n' position or s.length). */
  private parseLines(s: string, from: number, stop: number): void {
    let p = from;
    while (p <= stop && p < s.length) {
      let nl = s.indexOf('\n', p);
      if (nl === -1 || nl > stop) nl = stop;
      let end = nl;
      if (end > p && s.charCodeAt(end - 1) === 13) end--;
      this.line++;
      if (end > p) {
        if (this.roles !== null && this.layoutInfo !== null) this.dataRow(s, p, end);
        else this.layoutRow(s, p, end);
      }
      p = nl + 1;
    }
  }

  private setDelimiter(d: string): void {
    this.delimChar = d;
    this.delim = d.charCodeAt(0);
  }

  /** Header line or first data line: settle the layout. */
  private layoutRow(s: string, start: number, end: number): void {
    const text = s.slice(start, end);
    if (this.options.delimiter === undefined && this.headerNames === null) {
      const counts = [',', ';', '\t'].map((d) => text.split(d).length - 1);
      const best = counts.indexOf(Math.max(...counts));
      this.setDelimiter([',', ';', '\t'][best]);
    }
    const fields = text.split(this.delimChar);
    const c0 = text.charCodeAt(0);
    const looksData = (c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43;
    if (this.headerNames === null && !looksData) {
      this.headerNames = fields;
      return;
    }
    this.finalizeLayout(fields);
    this.dataRow(s, start, end);
  }

  private finalizeLayout(first: string[]): void {
    const format = this.options.format;
    const header = this.headerNames !== null;
    let roles: number[];
    if (header) {
      roles = (this.headerNames as string[]).map(headerRole);
    } else {
      const n = first.length;
      const t1 = TIME_LIKE.test(first[1] ?? '');
      if (format === 'yahoo') roles = [DATETIME, OPEN, HIGH, LOW, CLOSE, ADJ, VOL];
      else if (format === 'tick')
        roles = [DATETIME, PRICE, SIZE].slice(0, Math.max(2, Math.min(3, n)));
      else if (format === 'date-time-ohlcv' || (format === 'auto' && t1))
        roles = [DATETIME, TIME, OPEN, HIGH, LOW, CLOSE, VOL];
      else if (format === 'auto' && n <= 3) roles = [DATETIME, PRICE, SIZE].slice(0, n);
      else roles = [DATETIME, OPEN, HIGH, LOW, CLOSE, VOL];
      while (roles.length < n) roles.push(SKIP);
    }
    // A separate time column the header does not name (backtrader minute files).
    const di = roles.indexOf(DATETIME);
    if (di >= 0 && !roles.includes(TIME)) {
      const extra = first.length === roles.length + 1 && TIME_LIKE.test(first[di + 1] ?? '');
      if (format === 'date-time-ohlcv' || (header && extra)) roles.splice(di + 1, 0, TIME);
    }
    let kind: SeriesKind = 'bars';
    if (
      format === 'tick' ||
      (format === 'auto' && roles.includes(PRICE) && !roles.includes(OPEN))
    ) {
      kind = 'ticks';
      if (!roles.includes(PRICE)) {
        roles = roles.map((r) =>
          r === CLOSE
            ? PRICE
            : r === VOL
              ? SIZE
              : r === OPEN || r === HIGH || r === LOW || r === ADJ
                ? SKIP
                : r,
        );
      }
    }
    const need = (role: number, what: string) => {
      if (!roles.includes(role)) {
        throw new DataError(
          `${this.options.source}:${this.line}: ${what} column not found (columns: ${roles.map((r) => ROLE_NAMES[r]).join(',')})`,
          {
            source: this.options.source,
            line: this.line,
          },
        );
      }
    };
    need(DATETIME, 'date');
    if (kind === 'ticks') need(PRICE, 'price');
    else
      for (const [r, w] of [
        [OPEN, 'open'],
        [HIGH, 'high'],
        [LOW, 'low'],
        [CLOSE, 'close'],
      ] as const)
        need(r, w);
    const resolved: Exclude<CsvFormat, 'auto'> =
      kind === 'ticks'
        ? 'tick'
        : roles.includes(ADJ)
          ? 'yahoo'
          : roles.includes(TIME)
            ? 'date-time-ohlcv'
            : 'ohlcv';
    if (format === 'yahoo' || this.options.adjust) need(ADJ, 'adj close');
    this.adjCol = this.options.adjust && roles.includes(ADJ);
    this.kind = kind;
    this.ticks = kind === 'ticks';
    this.openShift =
      kind === 'bars' && this.options.barTimestamp === 'open' ? this.options.barDurationMs : 0;
    this.roles = roles;
    this.layoutInfo = {
      format: resolved,
      kind,
      columns: roles.map((r) => ROLE_NAMES[r]),
      header,
      delimiter: this.delimChar,
    };
  }

  private bad(s: string, start: number, end: number, message: string): void {
    const { source } = this.options;
    const text = s.slice(start, Math.min(end, start + 200));
    if (!this.options.skipBadRows)
      throw new DataError(`${source}:${this.line}: ${message}: ${JSON.stringify(text)}`, {
        source,
        line: this.line,
        text,
      });
    this.skipped++;
    if (this.issues.length < this.options.maxIssues)
      this.issues.push({ source, line: this.line, message, text });
  }

  private fieldEnd(s: string, p: number, end: number): number {
    const q = s.indexOf(this.delimChar, p);
    return q === -1 || q > end ? end : q;
  }

  /** Two ASCII digits at i, or NaN. */
  private static d2(s: string, i: number): number {
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
  }

  /** Parses a date[-time[offset]] field in [p, e). Sets day/tod/offsetMs/abs; false when invalid. */
  private dateField(s: string, p: number, e: number): boolean {
    this.tod = -1;
    this.offsetMs = NaN;
    this.abs = NaN;
    const len = e - p;
    let y: number, mo: number, d: number, q: number;
    const c4 = s.charCodeAt(p + 4);
    if (len >= 10 && (c4 === 45 || c4 === 47) && s.charCodeAt(p + 7) === c4) {
      y = CsvBarParser.d2(s, p) * 100 + CsvBarParser.d2(s, p + 2);
      mo = CsvBarParser.d2(s, p + 5);
      d = CsvBarParser.d2(s, p + 8);
      q = p + 10;
    } else {
      // digits only: YYYYMMDD, epoch seconds (10) or epoch ms (13)
      for (let i = p; i < e; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) return false;
      }
      if (len === 10 || len === 13) {
        this.abs = Number(s.slice(p, e)) * (len === 10 ? 1000 : 1);
        return true;
      }
      if (len !== 8) return false;
      y = CsvBarParser.d2(s, p) * 100 + CsvBarParser.d2(s, p + 2);
      mo = CsvBarParser.d2(s, p + 4);
      d = CsvBarParser.d2(s, p + 6);
      q = e;
    }
    const key = y * 10_000 + mo * 100 + d; // consecutive rows usually share the date
    if (key !== this.lastDateKey) {
      if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo))) return false;
      this.lastDateKey = key;
      this.lastDateDay = daysFromCivil(y, mo, d);
    }
    this.day = this.lastDateDay;
    if (q === e) return true;
    const sep = s.charCodeAt(q);
    if (sep !== 84 && sep !== 32 && sep !== 116) return false; // 'T', ' ', 't'
    q = this.timeAt(s, q + 1, e);
    if (q < 0) return false;
    if (q === e) return true;
    // offset: Z | ±HH[:MM] | ±HHMM
    const c = s.charCodeAt(q);
    if ((c === 90 || c === 122) && q + 1 === e) {
      this.offsetMs = 0;
      return true;
    }
    if (c !== 43 && c !== 45) return false;
    const oh = CsvBarParser.d2(s, q + 1);
    let om = 0;
    if (q + 3 === e) om = 0;
    else if (q + 6 === e && s.charCodeAt(q + 3) === 58) om = CsvBarParser.d2(s, q + 4);
    else if (q + 5 === e) om = CsvBarParser.d2(s, q + 3);
    else return false;
    if (!(oh <= 23 && om <= 59)) return false;
    this.offsetMs = (c === 45 ? -1 : 1) * (oh * HOUR + om * MINUTE);
    return true;
  }

  /** Parses `H:MM[:SS[.fff…]]` at q (up to e); sets tod; returns the index after it or -1. */
  private timeAt(s: string, q: number, e: number): number {
    let h: number;
    if (s.charCodeAt(q + 1) === 58) {
      h = s.charCodeAt(q) - 48;
      if (!(h >= 0 && h <= 9)) return -1;
      q += 2;
    } else {
      h = CsvBarParser.d2(s, q);
      if (s.charCodeAt(q + 2) !== 58) return -1;
      q += 3;
    }
    const mi = CsvBarParser.d2(s, q);
    q += 2;
    let sec = 0;
    let ms = 0;
    if (q < e && s.charCodeAt(q) === 58) {
      sec = CsvBarParser.d2(s, q + 1);
      q += 3;
      if (q < e && (s.charCodeAt(q) === 46 || s.charCodeAt(q) === 44)) {
        q++;
        let scale = 100;
        const f0 = q;
        for (; q < e; q++) {
          const c = s.charCodeAt(q) - 48;
          if (c < 0 || c > 9) break;
          ms += c * scale; // digits beyond the millisecond are truncated
          scale /= 10;
        }
        if (q === f0) return -1;
        ms = Math.floor(ms + 1e-9);
      }
    }
    if (!(h <= 24 && mi <= 59 && sec <= 59) || (h === 24 && (mi | sec | ms) !== 0)) return -1;
    this.tod = h * HOUR + mi * MINUTE + sec * 1000 + ms;
    return q > e ? -1 : q;
  }

  private dataRow(s: string, start: number, end: number): void {
    this.rows++;
    const roles = this.roles as number[];
    const vals = this.vals;
    const delim = this.delim;
    const nf = roles.length;
    let timeField = false;
    let p = start;
    for (let f = 0; f < nf; f++) {
      if (p > end) return this.bad(s, start, end, `expected ${nf} fields, got ${f}`);
      const role = roles[f];
      let e: number;
      if (role >= OPEN) {
        // inline exact fast decimal (see fast-number.ts); anything unusual takes the strict slow path
        let q = p;
        let neg = false;
        if (q < end && s.charCodeAt(q) === 45) {
          neg = true;
          q++;
        }
        let m = 0;
        let digits = 0;
        let frac = 0;
        let dot = false;
        let c = 0;
        for (; q < end; q++) {
          c = s.charCodeAt(q);
          if (c >= 48 && c <= 57) {
            m = m * 10 + (c - 48);
            digits++;
            if (dot) frac++;
          } else if (c === 46 && !dot) dot = true;
          else break;
        }
        let v: number;
        if (q === end || c === delim) {
          e = q;
          if (digits === 0) v = NaN;
          else if (digits > 15) v = slowDecimal(s.slice(p, q));
          else {
            v = frac === 0 ? m : m / POW10[frac];
            if (neg) v = -v;
          }
        } else {
          e = this.fieldEnd(s, q, end);
          v = slowDecimal(s.slice(p, e));
        }
        vals[role] = v;
      } else {
        e = this.fieldEnd(s, p, end);
        if (role === DATETIME) {
          if (!this.dateField(s, p, e))
            return this.bad(s, start, end, `invalid date/time ${JSON.stringify(s.slice(p, e))}`);
        } else if (role === TIME) {
          timeField = true;
          if (this.timeAt(s, p, e) !== e)
            return this.bad(s, start, end, `invalid time ${JSON.stringify(s.slice(p, e))}`);
        }
      }
      p = e + 1;
    }
    if (p <= end) return this.bad(s, start, end, `expected ${nf} fields, got more`);
    // timestamp
    let ts: number;
    if (this.abs === this.abs) ts = this.abs;
    else {
      const hasTime = this.tod >= 0;
      if (hasTime && this.offsetMs === this.offsetMs)
        ts = this.day * DAY + this.tod - this.offsetMs;
      else {
        const conv = this.conv;
        if (conv === null) {
          throw new ValidationError(
            'timeZone',
            this.options.timeZone,
            `is required: ${this.options.source} has timestamps without a UTC offset (line ${this.line})`,
          );
        }
        ts = conv.toUtc(this.day * DAY + (hasTime ? this.tod : this.sessionCloseMs));
        if (ts !== ts) {
          return this.bad(
            s,
            start,
            end,
            conv.problem === 'gap'
              ? `local time does not exist in ${conv.zone} (DST gap)`
              : `local time is ambiguous in ${conv.zone} (DST overlap)`,
          );
        }
      }
      if (hasTime) ts += this.openShift;
    }
    if (timeField && this.tod < 0) return this.bad(s, start, end, 'missing time');
    let o: number, h: number, l: number, c: number, v: number;
    if (this.ticks) {
      const price = vals[PRICE];
      v = vals[SIZE];
      if (!Number.isFinite(price))
        return this.bad(s, start, end, 'price is missing or not a number');
      if (!(v >= 0 && v < Infinity))
        return this.bad(s, start, end, 'size is not a non-negative number');
      if (ts < this.lastTs)
        return this.bad(s, start, end, `timestamp goes backwards (unsorted input)`);
      o = h = l = c = price;
    } else {
      o = vals[OPEN];
      h = vals[HIGH];
      l = vals[LOW];
      c = vals[CLOSE];
      v = vals[VOL];
      if (!Number.isFinite(o + h + l + c)) {
        const which = ['open', 'high', 'low', 'close'][
          [o, h, l, c].findIndex((x) => !Number.isFinite(x))
        ];
        return this.bad(s, start, end, `${which} is missing or not a number`);
      }
      if (!(v >= 0 && v < Infinity))
        return this.bad(s, start, end, 'volume is not a non-negative number');
      if (h < l) return this.bad(s, start, end, `high ${h} < low ${l}`);
      if (o < l || o > h) return this.bad(s, start, end, `open ${o} outside [low ${l}, high ${h}]`);
      if (c < l || c > h)
        return this.bad(s, start, end, `close ${c} outside [low ${l}, high ${h}]`);
      if (ts <= this.lastTs)
        return this.bad(
          s,
          start,
          end,
          ts === this.lastTs ? 'duplicate timestamp' : 'timestamp goes backwards (unsorted input)',
        );
      if (this.adjCol) {
        const adj = vals[ADJ];
        if (!(adj > 0 && adj < Infinity))
          return this.bad(s, start, end, 'adj close is missing or not a positive number');
        const k = adj / c;
        o *= k;
        h *= k;
        l *= k;
        c *= k; // ≈ adj; multiplying every price by the same k keeps low ≤ open/close ≤ high
      }
    }
    this.lastTs = ts;
    this.bars++;
    this.builder.push(ts, o, h, l, c, v);
  }
}

/** Result of {@link parseBarsCsv}. */
export interface CsvParseResult {
  /** All bars in one batch. */
  readonly batch: BarBatch;
  /** Bad rows skipped (`skipBadRows`). */
  readonly issues: readonly DataIssue[];
  /** Counters. */
  readonly stats: CsvParseStats;
  /** Detected layout (null for an empty input). */
  readonly layout: CsvLayout | null;
}

/** Parses a whole CSV text at once (small inputs and tests; use {@link CsvBarParser} to stream). */
export function parseBarsCsv(text: string, options: CsvParseOptions): CsvParseResult {
  const p = new CsvBarParser(options);
  const parts = [...p.push(text), ...p.end()];
  return {
    batch: concatBarBatches(p.instrumentId, parts),
    issues: p.issues,
    stats: p.stats,
    layout: p.layout,
  };
}
