/**
 * Child process of the crash test: recovers, then appends the deterministic workload with many
 * appends in flight, printing `ACK <seq>` for each acknowledged record, taking snapshots (and
 * compacting) as it goes, until it is SIGKILLed by the parent or by itself at a crash hook.
 * Config comes from the CRASH_CFG env var (JSON).
 */
import { FaultyWalFs } from '../lib/faulty-wal-fs';
import { FileSnapshotStore, type SnapshotStep } from '../lib/file-snapshot-store';
import type { WalBatchInfo } from '../lib/file-wal';
import { recover } from '../lib/recover';
import { NodeWalFs } from '../lib/wal-fs';
import {
  applyPayload,
  emptyModel,
  payloadFor,
  type CrashModel,
  type CrashPayload,
} from './crash-model';

/** Crash points a child can kill itself at. */
export type CrashPoint =
  | 'random'
  | 'beforeWrite'
  | 'midWrite'
  | 'afterWrite'
  | 'afterSync'
  | `snapshot:${SnapshotStep}`
  | 'snapshot:midTempWrite';

interface Cfg {
  walDir: string;
  snapDir: string;
  point: CrashPoint;
  /** Batch (or snapshot) number at which a hook kills. */
  at: number;
  /** Appends to issue before exiting normally (if not killed). */
  appends: number;
  concurrency: number;
  snapshotEvery: number;
}

const cfg = JSON.parse(process.env.CRASH_CFG ?? '{}') as Cfg;
const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};
const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

async function main(): Promise<void> {
  const fs = new FaultyWalFs(new NodeWalFs());
  const snapFs = new FaultyWalFs(new NodeWalFs());
  let snapshotsTaken = 0;
  const snapshots = await FileSnapshotStore.open({
    dir: cfg.snapDir,
    fs: snapFs,
    onStep: (step) => {
      if (cfg.point === `snapshot:${step}` && snapshotsTaken === cfg.at) die();
    },
  });
  const hook = (point: CrashPoint) => (info: WalBatchInfo) => {
    if (cfg.point === point && info.batch === cfg.at) die();
  };
  let model: CrashModel = emptyModel();
  const { wal, report } = await recover({
    walDir: cfg.walDir,
    snapshots,
    restore: (s) => void (model = s.state as CrashModel),
    apply: (r) => void applyPayload(model, r.json<CrashPayload>()),
    open: {
      durability: 'group',
      maxSegmentBytes: 4096,
      fs,
      hooks: {
        beforeWrite: hook('beforeWrite'),
        afterWrite: hook('afterWrite'),
        afterSync: hook('afterSync'),
      },
    },
  });
  if (!wal) throw new Error('WAL not opened');
  const store = wal;
  if (cfg.point === 'midWrite') fs.plan = { crashMidWriteAt: fs.writes + cfg.at, crash: die };
  out(`READY ${report.lastSequence}`);

  let next = store.lastSequence() + 1;
  let acked = store.lastSequence();
  const end = next + cfg.appends;
  let inFlight = 0;
  let snapshotting = false;
  let lastSnap = acked;

  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (inFlight < cfg.concurrency && next < end) {
        const s = next++;
        inFlight++;
        store.append('crash.add', payloadFor(s)).then((seq) => {
          if (seq !== s) reject(new Error(`sequence ${seq} != expected ${s}`));
          // Group commits resolve in sequence order, so the model applies acknowledged records in order.
          applyPayload(model, payloadFor(seq));
          acked = seq;
          out(`ACK ${seq}`);
          inFlight--;
          if (!snapshotting && acked - lastSnap >= cfg.snapshotEvery) {
            snapshotting = true;
            snapshotsTaken++;
            const snap = {
              lastSequence: acked,
              state: JSON.parse(JSON.stringify(model)) as CrashModel,
            };
            if (cfg.point === 'snapshot:midTempWrite' && snapshotsTaken === cfg.at)
              snapFs.plan = { crashMidWriteAt: snapFs.writes + 1, crash: die };
            snapshots
              .save(snap)
              .then(() => store.compact(snap.lastSequence))
              .then(() => {
                lastSnap = snap.lastSequence;
                snapshotting = false;
              }, reject);
          }
          if (next >= end && inFlight === 0) resolve();
          else pump();
        }, reject);
      }
    };
    pump();
  });
  await store.close();
  out('DONE');
}

main().catch((e) => {
  process.stderr.write(`crash child failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(3);
});
