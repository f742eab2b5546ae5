// A minimal local stand-in for the shared bench helper being built under scripts/: alternating rounds
// of ours and the baseline, and the median ratio with its spread.

/** Runs `rounds` pairs, alternating which side goes first; resolves with each side's measurements. */
export async function alternate(rounds, ours, baseline) {
  const results = { ours: [], baseline: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) results[side].push(await (side === 'ours' ? ours() : baseline()));
  }
  return results;
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `ours ÷ baseline` per round, as the median and the lowest–highest spread. */
export function ratio(ours, baseline) {
  const ratios = ours.map((value, index) => value / baseline[index]);
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}
