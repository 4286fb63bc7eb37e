import { ClientOrderId, ValidationError } from '@trading/domain';
import {
  ContingencyType,
  encodeOrderRequest,
  OrderRequest,
  OrderRequestJson,
  parseOrderRequest,
} from './order-request';

/** Kinds of order lists. */
export type OrderListKind = 'BRACKET' | 'OCO' | 'OTO';

/** Parts of a bracket. */
export interface BracketSpec {
  readonly id: string;
  /** The entry (OTO parent). */
  readonly entry: OrderRequest;
  /** Take-profit exit (opposite side, usually LIMIT). */
  readonly takeProfit: OrderRequest;
  /** Stop-loss exit (opposite side, usually STOP / STOP_LIMIT / TRAILING_STOP). */
  readonly stopLoss: OrderRequest;
}

/** JSON form of an {@link OrderList}. */
export interface OrderListJson {
  id: string;
  kind: OrderListKind;
  orders: OrderRequestJson[];
}

const LIST_ID = /^[A-Za-z0-9._:\-/]{1,128}$/;

/**
 * A group of contingent orders. Every request of `orders` gets its `contingency` (and children
 * their `parentClientOrderId`) filled in. The engine initializes all of them (so the whole intent is
 * durable in the WAL), submits `initialSubmissions`, and lets a {@link ContingencyManager} release,
 * size and cancel the rest.
 *
 * - BRACKET: entry → (take-profit OCO stop-loss); exits released as the entry fills, sized to the fill.
 * - OTO: parent → independent children, each sized to the parent's filled quantity.
 * - OCO: members working together; a fill of one reduces (partial) or cancels (full) the others.
 */
export class OrderList {
  private constructor(
    readonly id: string,
    readonly kind: OrderListKind,
    /** Every request of the list, parent first. */
    readonly orders: readonly OrderRequest[],
    /** The OTO parent (BRACKET, OTO). */
    readonly parent: ClientOrderId | undefined,
    /** Orders released by the parent (BRACKET exits, OTO children), or the OCO members. */
    readonly members: readonly ClientOrderId[],
    /** True when members cancel/reduce each other (BRACKET, OCO). */
    readonly oneCancelsOther: boolean,
  ) {}

  /** Requests to submit right away: the parent (BRACKET, OTO) or all members (OCO). */
  get initialSubmissions(): readonly OrderRequest[] {
    return this.parent === undefined
      ? this.orders
      : this.orders.filter((o) => o.clientOrderId === this.parent);
  }

  /** The request of one order of the list. */
  request(id: ClientOrderId): OrderRequest | undefined {
    return this.orders.find((o) => o.clientOrderId === id);
  }

  /** JSON form (for snapshots). */
  toJSON(): OrderListJson {
    return { id: this.id, kind: this.kind, orders: this.orders.map(encodeOrderRequest) };
  }

  /** Restores a list from {@link OrderList.toJSON} output (validates every request). */
  static fromJSON(json: unknown, path = 'orderList'): OrderList {
    const j = json as Partial<OrderListJson> | null;
    if (typeof j !== 'object' || j === null || !Array.isArray(j.orders) || typeof j.id !== 'string')
      throw new ValidationError(path, json, 'must be { id, kind, orders }');
    const orders = j.orders.map((o, i) => parseOrderRequest(o, `${path}.orders[${i}]`));
    const stripped = orders.map(
      ({ contingency: _c, parentClientOrderId: _p, ...rest }) => rest as OrderRequest,
    );
    switch (j.kind) {
      case 'BRACKET':
        if (stripped.length !== 3)
          throw new ValidationError(`${path}.orders`, stripped.length, 'a bracket has 3 orders');
        return OrderList.bracket({
          id: j.id,
          entry: stripped[0],
          takeProfit: stripped[1],
          stopLoss: stripped[2],
        });
      case 'OCO':
        return OrderList.oco(j.id, stripped);
      case 'OTO':
        return OrderList.oto(j.id, stripped[0], stripped.slice(1));
      default:
        throw new ValidationError(`${path}.kind`, j.kind, 'must be BRACKET, OCO or OTO');
    }
  }

  /** Entry + take-profit + stop-loss; exits on the opposite side with the entry's quantity. */
  static bracket(spec: BracketSpec): OrderList {
    const { id, entry, takeProfit: tp, stopLoss: sl } = spec;
    checkId(id);
    checkDistinct([entry, tp, sl]);
    for (const [name, x] of [
      ['takeProfit', tp],
      ['stopLoss', sl],
    ] as const) {
      if (x.instrumentId !== entry.instrumentId)
        throw new ValidationError(
          `${name}.instrumentId`,
          x.instrumentId,
          `must equal the entry's ${entry.instrumentId}`,
        );
      if (x.side === entry.side)
        throw new ValidationError(
          `${name}.side`,
          x.side,
          `must be opposite to the entry's ${entry.side}`,
        );
      if (!x.quantity.eq(entry.quantity))
        throw new ValidationError(
          `${name}.quantity`,
          x.quantity.toString(),
          `must equal the entry's ${entry.quantity} (exits are resized to the filled quantity)`,
        );
    }
    if (sl.type === 'MARKET' || sl.type === 'LIMIT')
      throw new ValidationError(
        'stopLoss.type',
        sl.type,
        'must be STOP, STOP_LIMIT or TRAILING_STOP',
      );
    const orders = [
      withContingency(entry, 'OTO', id, [tp.clientOrderId, sl.clientOrderId]),
      withContingency(tp, 'OCO', id, [sl.clientOrderId], entry.clientOrderId),
      withContingency(sl, 'OCO', id, [tp.clientOrderId], entry.clientOrderId),
    ];
    return new OrderList(
      id,
      'BRACKET',
      orders,
      entry.clientOrderId,
      [tp.clientOrderId, sl.clientOrderId],
      true,
    );
  }

  /** One-cancels-other between ≥ 2 orders of one instrument with equal quantities. */
  static oco(id: string, members: readonly OrderRequest[]): OrderList {
    checkId(id);
    if (members.length < 2)
      throw new ValidationError('members', members.length, 'an OCO list needs at least 2 orders');
    checkDistinct(members);
    const first = members[0];
    members.forEach((m, i) => {
      if (m.instrumentId !== first.instrumentId)
        throw new ValidationError(
          `members[${i}].instrumentId`,
          m.instrumentId,
          `must equal ${first.instrumentId}`,
        );
      if (!m.quantity.eq(first.quantity))
        throw new ValidationError(
          `members[${i}].quantity`,
          m.quantity.toString(),
          `must equal ${first.quantity}`,
        );
    });
    const ids = members.map((m) => m.clientOrderId);
    const orders = members.map((m) =>
      withContingency(
        m,
        'OCO',
        id,
        ids.filter((x) => x !== m.clientOrderId),
      ),
    );
    return new OrderList(id, 'OCO', orders, undefined, ids, true);
  }

  /** One-triggers-other: children released (sized to the parent's fill) as the parent fills. */
  static oto(id: string, parent: OrderRequest, children: readonly OrderRequest[]): OrderList {
    checkId(id);
    if (children.length < 1)
      throw new ValidationError('children', children.length, 'an OTO list needs at least 1 child');
    checkDistinct([parent, ...children]);
    const ids = children.map((c) => c.clientOrderId);
    const orders = [
      withContingency(parent, 'OTO', id, ids),
      ...children.map((c) => withContingency(c, 'OTO', id, [], parent.clientOrderId)),
    ];
    return new OrderList(id, 'OTO', orders, parent.clientOrderId, ids, false);
  }
}

function checkId(id: string): void {
  if (typeof id !== 'string' || !LIST_ID.test(id))
    throw new ValidationError('orderListId', id, 'must be 1-128 letters, digits or . _ : - /');
}

function checkDistinct(rs: readonly OrderRequest[]): void {
  const seen = new Set<string>();
  for (const r of rs) {
    if (seen.has(r.clientOrderId))
      throw new ValidationError(
        'clientOrderId',
        r.clientOrderId,
        'must be unique within an order list',
      );
    seen.add(r.clientOrderId);
  }
}

function withContingency(
  r: OrderRequest,
  type: ContingencyType,
  orderListId: string,
  linked: readonly ClientOrderId[],
  parent?: ClientOrderId,
): OrderRequest {
  return {
    ...r,
    contingency: { type, orderListId, linkedClientOrderIds: Object.freeze([...linked]) },
    ...(parent !== undefined && { parentClientOrderId: parent }),
  };
}
