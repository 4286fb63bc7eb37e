/** Fakes and builders of @trading/risk for other libs' tests. */
import { Decimal, OrderSide, OrderType, TradingDecimal } from '@trading/domain';
import {
  RiskCheck,
  RiskContext,
  RiskDecision,
  RiskOrderRequest,
  TradingHours,
} from './lib/risk-check.port';
import { RiskReasonCode } from './lib/risk-reason';

const dec = (v: Decimal | string | number): Decimal =>
  v instanceof Decimal ? v : new TradingDecimal(v);

/** A calendar that is always open. */
export const ALWAYS_OPEN: TradingHours = { isOpen: () => true };
/** A calendar that is always closed. */
export const ALWAYS_CLOSED: TradingHours = { isOpen: () => false };

/** A calendar open on [open, close) UTC ms intervals. */
export class FixedTradingHours implements TradingHours {
  constructor(private readonly sessions: ReadonlyArray<readonly [number, number]>) {}
  isOpen(ts: number): boolean {
    return this.sessions.some(([a, b]) => ts >= a && ts < b);
  }
}

/** Context fields as decimals-or-text for tests. */
export interface RiskContextSpec {
  equity?: Decimal | string | number;
  position?: Decimal | string | number;
  openPositions?: number;
  opensNewPosition?: boolean;
  lastPrice?: Decimal | number;
  multiplier?: Decimal | string | number;
  startOfDayEquity?: Decimal | string | number;
  peakEquity?: Decimal | string | number;
  tradingHours?: TradingHours;
}

/** A flat 100,000 account, always-open market, last price 100 (override anything). */
export function riskContext(spec: RiskContextSpec = {}): RiskContext {
  const equity = dec(spec.equity ?? '100000');
  return {
    equity,
    position: dec(spec.position ?? 0),
    openPositions: spec.openPositions ?? 0,
    opensNewPosition: spec.opensNewPosition,
    lastPrice: 'lastPrice' in spec ? spec.lastPrice : new TradingDecimal(100),
    multiplier: spec.multiplier === undefined ? undefined : dec(spec.multiplier),
    startOfDayEquity: dec(spec.startOfDayEquity ?? equity),
    peakEquity: dec(spec.peakEquity ?? equity),
    tradingHours: 'tradingHours' in spec ? spec.tradingHours : ALWAYS_OPEN,
  };
}

/** A BUY 10 LIMIT @ 100 order request for TEST.SIM (override anything). */
export function riskRequest(
  overrides: Partial<Record<keyof RiskOrderRequest, unknown>> = {},
): RiskOrderRequest {
  return {
    instrumentId: 'TEST.SIM',
    side: OrderSide.BUY,
    type: OrderType.LIMIT,
    quantity: '10',
    price: '100',
    strategyId: 'strat-1',
    ts: 1_704_292_200_000, // 2024-01-03T14:30:00Z, 09:30 New York
    ...overrides,
  } as RiskOrderRequest;
}

/** A RiskCheck that approves everything and records the requests (for engine tests). */
export class ApproveAllRiskCheck implements RiskCheck {
  readonly requests: RiskOrderRequest[] = [];
  check(request: RiskOrderRequest): RiskDecision {
    this.requests.push(request);
    return { approved: true };
  }
}

/** A RiskCheck that rejects everything with one reason. */
export class RejectAllRiskCheck implements RiskCheck {
  constructor(
    private readonly reason: RiskReasonCode = RiskReasonCode.TRADING_HALTED,
    private readonly message = 'rejected by RejectAllRiskCheck',
  ) {}
  check(): RiskDecision {
    return { approved: false, reason: this.reason, message: this.message };
  }
}
