/** Any JSON value a WAL record or snapshot may carry (plain, JSON-serialisable data). */
export type WalJsonValue =
  string | number | boolean | null | WalJsonValue[] | { [key: string]: WalJsonValue };
