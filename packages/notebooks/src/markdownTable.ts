/**
 * A Markdown table from rows of plain values (numbers rounded to 4 significant digits).
 * @example markdownTable([{ atom: 'food', sti: 12.5 }]) // '| atom | sti |\n|---|---|\n| food | 12.5 |'
 */
export function markdownTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]): string {
  if (rows.length === 0) return '_(no rows)_';
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
    if (v === null || v === undefined) return '';
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  };
  return [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`),
  ].join('\n');
}

/**
 * A short Markdown summary of an XState snapshot: its state value, status and chosen context fields.
 */
export function snapshotSummary(
  snapshot: { value: unknown; status: string; context: object },
  fields?: string[],
): string {
  const ctx = snapshot.context as Record<string, unknown>;
  const keys = fields ?? Object.keys(ctx).filter((k) => ['number', 'string', 'boolean'].includes(typeof ctx[k]));
  const rows = keys.map((k) => ({ field: k, value: ctx[k] }));
  return `**state** \`${JSON.stringify(snapshot.value)}\` · **status** ${snapshot.status}\n\n${markdownTable(rows)}`;
}
