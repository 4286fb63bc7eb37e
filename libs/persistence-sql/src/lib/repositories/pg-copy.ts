/**
 * Minimal `COPY … FROM STDIN` for node-postgres without extra packages: a "submittable" query
 * (the same hook pg-copy-streams uses) that streams text-format chunks once the server sends
 * CopyInResponse. Only for node-postgres clients; PGlite uses the unnest path.
 */

interface PgConnectionLike {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** The part of a node-postgres client this module needs. */
export interface PgClientLike {
  query(submittable: object): unknown;
  connection: PgConnectionLike;
}

/** True when `x` is a node-postgres client able to COPY. */
export function isPgClient(x: unknown): x is PgClientLike {
  const c = x as {
    query?: unknown;
    connection?: { sendCopyFromChunk?: unknown; endCopyFrom?: unknown };
  } | null;
  return (
    !!c &&
    typeof c.query === 'function' &&
    typeof c.connection?.sendCopyFromChunk === 'function' &&
    typeof c.connection?.endCopyFrom === 'function'
  );
}

/** Protocol callbacks a COPY never needs. */
const ignore = (): void => undefined;

/** Escapes a value for COPY text format (backslash, tab, newline, carriage return). */
export function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : v;
}

/** Runs `COPY … FROM STDIN` (text format) with `data`; resolves to the number of rows copied. */
export function copyFrom(client: PgClientLike, sql: string, data: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    let settled = false;
    const settle = (err: unknown): void => {
      if (settled) return;
      settled = true;
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(rows);
    };
    client.query({
      submit(con: PgConnectionLike) {
        con.query(sql);
      },
      handleCopyInResponse(con: PgConnectionLike) {
        con.sendCopyFromChunk(Buffer.from(data, 'utf8'));
        con.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        const m = /^COPY (\d+)/.exec(msg.text ?? '');
        rows = m ? Number(m[1]) : 0;
      },
      handleReadyForQuery() {
        settle(null);
      },
      handleError(err: unknown) {
        settle(err);
      },
      callback(err: unknown) {
        if (err) settle(err);
      },
      handleRowDescription: ignore,
      handleDataRow: ignore,
      handleEmptyQuery: ignore,
      handlePortalSuspended: ignore,
      handleCopyData: ignore,
    });
  });
}
