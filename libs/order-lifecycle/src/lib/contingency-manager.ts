import {
  ClientOrderId,
  clientOrderId,
  Decimal,
  Quantity,
  ValidationError,
  ZERO,
} from '@trading/domain';
import { OrderRequest } from './order-request';
import { OrderList, OrderListJson } from './order-list';
import { OrderTransition } from './order-state-machine';

/** What the engine must do after a transition of a contingent order. */
export type ContingencyAction =
  /**
   * Release a held child: it is INITIALIZED in the book; send it with `request.quantity`
   * (apply `OrderSubmitted { quantity }` then route it).
   */
  | { readonly kind: 'submit'; readonly request: OrderRequest }
  /** Cancel an order (locally with OrderCanceled when it was never submitted, else at the venue). */
  | { readonly kind: 'cancel'; readonly clientOrderId: ClientOrderId; readonly reason: string }
  /** Change the total quantity of a working order (venue replace/modify). */
  | {
      readonly kind: 'modifyQuantity';
      readonly clientOrderId: ClientOrderId;
      readonly quantity: Quantity;
    };

interface MemberState {
  /** Current client order id (follows Alpaca-style replacements). */
  currentId: ClientOrderId;
  request: OrderRequest;
  /** Submitted to the venue (or submission requested). */
  active: boolean;
  /** Total quantity last asked for (submission or modify), for the current order. */
  requestedQty: Decimal;
  /** Filled quantity of the current order. */
  currentFilled: Decimal;
  /** Filled quantity across the replacement lineage. */
  totalFilled: Decimal;
  /** Terminal, or a cancel was requested. */
  done: boolean;
}

interface ListState {
  list: OrderList;
  parentId: ClientOrderId | undefined;
  parentFilled: Decimal;
  parentDone: boolean;
  members: MemberState[];
}

/** JSON snapshot of a {@link ContingencyManager}. */
export interface ContingencyManagerSnapshot {
  version: 1;
  lists: {
    list: OrderListJson;
    parentId?: string;
    parentFilled: string;
    parentDone: boolean;
    members: {
      currentId: string;
      active: boolean;
      requestedQty: string;
      currentFilled: string;
      totalFilled: string;
      done: boolean;
    }[];
  }[];
}

/**
 * Drives contingent orders. Deterministic and free of I/O: it only reads the transitions it is given
 * (use the `OrderTransition` returned by `OrderBook.apply`) and returns actions; its own bookkeeping
 * (fills per list, which child is released) is snapshot-able.
 *
 * Rules (the open quantity of a list is parent filled − Σ member fills; for OCO lists without a
 * parent it is the common quantity − Σ member fills):
 * - parent fill (also partial): held children are released sized to the open quantity; released
 *   children grow (`modifyQuantity` to own filled + open).
 * - member fill in a one-cancels-other group: siblings shrink to their own filled + open, and are
 *   canceled when nothing is left open; in a bracket, when the exits close everything the parent filled,
 *   the still-working parent remainder is canceled too.
 * - parent canceled / rejected / expired before any fill: every child is canceled.
 * - Alpaca-style replacements are followed (the new client order id takes over the slot).
 * Only fills propagate between OCO members: a member canceled or rejected by the venue or the user
 * leaves its siblings working (they still protect the position).
 */
export class ContingencyManager {
  private readonly lists = new Map<string, ListState>();
  /** client order id → list and slot (-1 = parent). */
  private readonly slots = new Map<ClientOrderId, { state: ListState; slot: number }>();

  /** Starts tracking a list. Throws a ValidationError when a list id or order id is already tracked. */
  register(list: OrderList): void {
    if (this.lists.has(list.id))
      throw new ValidationError('orderListId', list.id, 'is already registered');
    for (const r of list.orders)
      if (this.slots.has(r.clientOrderId))
        throw new ValidationError(
          'clientOrderId',
          r.clientOrderId,
          'already belongs to a registered order list',
        );
    const state: ListState = {
      list,
      parentId: list.parent,
      parentFilled: ZERO,
      parentDone: false,
      members: list.members.map((id) => {
        const request = list.request(id) as OrderRequest;
        const active = list.parent === undefined;
        return {
          currentId: id,
          request,
          active,
          requestedQty: active ? request.quantity.value : ZERO,
          currentFilled: ZERO,
          totalFilled: ZERO,
          done: false,
        };
      }),
    };
    this.index(state);
  }

  /** True when the order belongs to a tracked list. */
  isManaged(id: ClientOrderId): boolean {
    return this.slots.has(id);
  }

  /** The list an order belongs to. */
  listOf(id: ClientOrderId): OrderList | undefined {
    return this.slots.get(id)?.state.list;
  }

  /** Actions to perform after `t` (empty for unrelated orders and unchanged/duplicate transitions). */
  onTransition(t: OrderTransition): ContingencyAction[] {
    if (!t.changed) return [];
    const id = t.order.clientOrderId;
    const at = this.slots.get(id);
    if (!at) return [];
    const { state, slot } = at;
    const m = slot >= 0 ? state.members[slot] : undefined;
    const actions: ContingencyAction[] = [];

    if (t.event.type === 'OrderReplaced') {
      const rep = t.replacement;
      if (rep) {
        this.slots.set(rep.clientOrderId, at);
        if (m) {
          m.currentId = rep.clientOrderId;
          m.currentFilled = ZERO;
          m.requestedQty = rep.quantity.value;
        } else state.parentId = rep.clientOrderId;
      } else if (m) m.requestedQty = t.order.quantity.value;
      return actions;
    }
    if (t.event.type === 'OrderSubmitted' && m) {
      m.active = true;
      m.requestedQty = t.order.quantity.value;
    }

    const fill = t.fillQty;
    if (fill !== undefined) {
      if (m) {
        m.totalFilled = m.totalFilled.add(fill.value);
        if (id === m.currentId) m.currentFilled = t.order.executedQty;
      } else state.parentFilled = state.parentFilled.add(fill.value);
    }
    const closed = t.order.isTerminal && (t.previous === undefined || !t.previous.isTerminal);
    if (closed) {
      if (m) {
        if (id === m.currentId) m.done = true;
      } else {
        state.parentDone = true;
        const s = t.order.status;
        if (
          (s === 'CANCELED' || s === 'REJECTED' || s === 'EXPIRED') &&
          state.parentFilled.isZero()
        ) {
          for (const x of state.members) {
            if (x.done) continue;
            x.done = true;
            actions.push({
              kind: 'cancel',
              clientOrderId: x.currentId,
              reason: `parent ${id} ${s.toLowerCase()} before any fill`,
            });
          }
          return actions;
        }
      }
    }
    if (fill !== undefined) this.resize(state, m !== undefined, actions);
    return actions;
  }

  private resize(state: ListState, memberFilled: boolean, actions: ContingencyAction[]): void {
    const hasParent = state.list.parent !== undefined;
    const oco = state.list.oneCancelsOther;
    let sumMembers = ZERO;
    if (oco) for (const x of state.members) sumMembers = sumMembers.add(x.totalFilled);
    const basis = hasParent ? state.parentFilled : state.members[0].request.quantity.value;
    for (const x of state.members) {
      if (x.done) continue;
      const open = basis.sub(oco ? sumMembers : x.totalFilled);
      if (!x.active) {
        if (open.gt(0)) {
          x.active = true;
          x.requestedQty = open;
          actions.push({
            kind: 'submit',
            request: { ...x.request, quantity: Quantity.fromDecimal(open) },
          });
        }
        continue;
      }
      if (open.lte(0)) {
        x.done = true;
        actions.push({
          kind: 'cancel',
          clientOrderId: x.currentId,
          reason: `nothing left open in order list ${state.list.id}`,
        });
        continue;
      }
      const target = x.currentFilled.add(open);
      if (!target.eq(x.requestedQty)) {
        x.requestedQty = target;
        actions.push({
          kind: 'modifyQuantity',
          clientOrderId: x.currentId,
          quantity: Quantity.fromDecimal(target),
        });
      }
    }
    // bracket done: the exits closed everything the entry filled while the entry still works
    if (
      hasParent &&
      oco &&
      memberFilled &&
      !state.parentDone &&
      state.parentId !== undefined &&
      sumMembers.gte(state.parentFilled)
    ) {
      state.parentDone = true;
      actions.push({
        kind: 'cancel',
        clientOrderId: state.parentId,
        reason: `exits of order list ${state.list.id} closed the position`,
      });
    }
  }

  /** Plain JSON snapshot of every tracked list. */
  toSnapshot(): ContingencyManagerSnapshot {
    return {
      version: 1,
      lists: [...this.lists.values()].map((s) => ({
        list: s.list.toJSON(),
        ...(s.parentId !== undefined && { parentId: s.parentId }),
        parentFilled: s.parentFilled.toFixed(),
        parentDone: s.parentDone,
        members: s.members.map((m) => ({
          currentId: m.currentId,
          active: m.active,
          requestedQty: m.requestedQty.toFixed(),
          currentFilled: m.currentFilled.toFixed(),
          totalFilled: m.totalFilled.toFixed(),
          done: m.done,
        })),
      })),
    };
  }

  /** Restores a manager from {@link ContingencyManager.toSnapshot} output (validates, throws ValidationError). */
  static fromSnapshot(snapshot: unknown): ContingencyManager {
    const s = snapshot as Partial<ContingencyManagerSnapshot> | null;
    if (typeof s !== 'object' || s === null || s.version !== 1 || !Array.isArray(s.lists))
      throw new ValidationError(
        'contingencySnapshot',
        snapshot,
        'must be { version: 1, lists: [...] }',
      );
    const mgr = new ContingencyManager();
    s.lists.forEach((l, i) => {
      const p = `contingencySnapshot.lists[${i}]`;
      const list = OrderList.fromJSON(l.list, `${p}.list`);
      if (!Array.isArray(l.members) || l.members.length !== list.members.length)
        throw new ValidationError(
          `${p}.members`,
          l.members,
          `must have ${list.members.length} entries`,
        );
      const state: ListState = {
        list,
        parentId: l.parentId === undefined ? undefined : clientOrderId(l.parentId),
        parentFilled: dec(l.parentFilled, `${p}.parentFilled`),
        parentDone: l.parentDone === true,
        members: l.members.map((m, j) => ({
          currentId: clientOrderId(m.currentId),
          request: list.request(list.members[j]) as OrderRequest,
          active: m.active === true,
          requestedQty: dec(m.requestedQty, `${p}.members[${j}].requestedQty`),
          currentFilled: dec(m.currentFilled, `${p}.members[${j}].currentFilled`),
          totalFilled: dec(m.totalFilled, `${p}.members[${j}].totalFilled`),
          done: m.done === true,
        })),
      };
      mgr.index(state);
    });
    return mgr;
  }

  private index(state: ListState): void {
    this.lists.set(state.list.id, state);
    for (const r of state.list.orders)
      this.slots.set(r.clientOrderId, { state, slot: state.list.members.indexOf(r.clientOrderId) });
    if (state.parentId !== undefined) this.slots.set(state.parentId, { state, slot: -1 });
    state.members.forEach((m, i) => this.slots.set(m.currentId, { state, slot: i }));
  }
}

function dec(v: unknown, field: string): Decimal {
  if (typeof v !== 'string') throw new ValidationError(field, v, 'must be a decimal string');
  return Quantity.of(v, field).value;
}
