// A tiny, safe markdown renderer for the privacy policy: headings, paragraphs, bullet lists,
// **bold** and *italic*. Everything becomes React text nodes; no HTML is ever injected.
import type { ReactNode } from 'react';

function inline(text: string, keyPrefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*|__([^_]+)__|_([^_]+)_/g;
  let last = 0;
  let index = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const bold = match[1] ?? match[3];
    const italic = match[2] ?? match[4];
    const key = `${keyPrefix}-${index++}`;
    out.push(bold !== undefined ? <strong key={key}>{bold}</strong> : <em key={key}>{italic}</em>);
    last = at + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] };

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = (): void => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
    if (list) blocks.push({ kind: 'list', items: list });
    list = null;
  };
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^[-*+]\s+(.*)$/.exec(line) ?? /^\d+[.)]\s+(.*)$/.exec(line);
    if (!line) {
      flush();
    } else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
    } else if (item) {
      if (paragraph.length) {
        blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
        paragraph = [];
      }
      list ??= [];
      list.push(item[1]!);
    } else if (list && raw.startsWith(' ')) {
      list[list.length - 1] += ` ${line}`;
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** Headings start at h2: the screen's own title is the page's h1. */
export function Markdown({ source }: { source: string }) {
  return (
    <>
      {parseMarkdown(source).map((block, i) => {
        const key = `b${i}`;
        if (block.kind === 'heading') {
          const level = Math.min(6, block.level + 1);
          const Tag = `h${level}` as 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
          return (
            <Tag key={key} dir="auto">
              {inline(block.text, key)}
            </Tag>
          );
        }
        if (block.kind === 'list') {
          return (
            <ul key={key}>
              {block.items.map((text, j) => (
                <li key={`${key}-${j}`} dir="auto">
                  {inline(text, `${key}-${j}`)}
                </li>
              ))}
            </ul>
          );
        }
        return (
          <p key={key} dir="auto">
            {inline(block.text, key)}
          </p>
        );
      })}
    </>
  );
}
