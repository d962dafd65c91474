/*
 * Escaping for the two text formats the report writes. Every string that came from a run (checker summaries, fault
 * notes, error messages, scenario options) passes through one of these before it lands in HTML/SVG or a Markdown table.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For HTML/SVG text and attribute values (both quoted with double quotes). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/** For one Markdown table cell: a pipe or a newline would break the table's row. */
export function escapeMarkdownCell(text: unknown): string {
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
