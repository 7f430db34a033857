// node read.mjs READER FILE
//
// Prints one JSON object: what READER (rss-parser, feed-extractor or feedsmith, each
// with its default options, as an application using it would) shows of the feed in
// FILE (Atom, RSS or JSON Feed). tests/readers/read.py prints the same shape for
// feedparser, newsboat and pyjsonfeed; tests/test_readers.py runs both.
//
// Shape: {reader, format, title, link, links, items: [{title, link, id, authors,
// summary, summary_raw, summary_type, content_present, content, content_text,
// published, updated, categories, image, enclosures}]}.
// - A field the reader never exposes is null (feed-extractor has no authors, for one);
//   a field it exposes that the feed leaves empty is "" or [].
// - title is the string the reader gives as the title, untouched: an application
//   shows it as text. title_type is the type the reader reports with it, if any.
// - summary is the summary as a reader shows it: the text of the reader's summary
//   string, read as HTML where the reader or the format says it is HTML (RSS
//   <description>, Atom type="html"), as it is otherwise. summary_raw is the string
//   the reader gave. content_text is the text of the HTML content the same way.
// - authors are the names as the reader gives them (one string may hold several).
// - dates are the strings the reader gives, unparsed.
import { readFileSync } from 'node:fs'
import process from 'node:process'

const [reader, file] = process.argv.slice(2)
if (!reader || !file) {
  console.error('usage: node read.mjs rss-parser|feed-extractor|feedsmith FILE')
  process.exit(2)
}
const text = readFileSync(file, 'utf8')
const isJson = /^\s*[{[]/.test(text)

// The text an HTML fragment shows: tags dropped, block ends as spaces, entities decoded.
const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', hellip: '…', mdash: '—', ndash: '–' }
export function htmlText (html) {
  if (html == null) return null
  const s = String(html)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/(p|div|h[1-6]|li|blockquote|pre|tr|table|ul|ol)\s*>|<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
  return s
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return String.fromCodePoint(n)
      }
      return NAMED[e.toLowerCase()] ?? m
    })
    .replace(/\s+/g, ' ')
    .trim()
}

const asList = (v) => (v == null ? [] : Array.isArray(v) ? v : [v])
const uniq = (xs) => [...new Set(xs.filter((x) => x != null && x !== ''))]

function item (fields) {
  return {
    title: null,
    title_type: null,
    link: null,
    id: null,
    authors: null,
    summary: null,
    summary_raw: null,
    summary_type: null,
    content_present: null,
    content: null,
    content_text: null,
    published: null,
    updated: null,
    categories: null,
    image: null,
    enclosures: null,
    ...fields
  }
}

async function rssParser () {
  const { default: Parser } = await import('rss-parser')
  const feed = await new Parser().parseString(text)
  const atom = /<feed[\s>]/.test(text.slice(0, 2000)) && !/<rss[\s>]/.test(text.slice(0, 2000))
  return {
    format: atom ? 'atom' : 'rss',
    title: feed.title ?? null,
    link: feed.link ?? null,
    links: uniq([feed.link, feed.feedUrl]),
    items: feed.items.map((i) =>
      item({
        title: i.title ?? null,
        link: i.link ?? null,
        id: (atom ? i.id : i.guid) ?? null,
        // Atom: the first <author>'s name; RSS: dc:creator (the first) or <author>
        authors: uniq([i.creator, i.author]),
        // Atom: <summary> as given (rss-parser keeps no type); RSS: the text of <description>
        summary: atom ? (i.summary ?? null) : (i.contentSnippet ?? null),
        summary_raw: atom ? (i.summary ?? null) : (i.content ?? null),
        summary_type: atom ? null : 'html',
        content_present: atom ? i.content != null : i['content:encoded'] != null,
        content: atom ? (i.content ?? null) : (i['content:encoded'] ?? null),
        content_text: atom ? (i.contentSnippet ?? null) : (i['content:encodedSnippet'] ?? null),
        published: i.pubDate ?? null,
        updated: null,
        categories: atom ? null : asList(i.categories).map((c) => (typeof c === 'string' ? c : (c._ ?? JSON.stringify(c)))),
        image: null,
        enclosures: i.enclosure ? [{ url: i.enclosure.url, type: i.enclosure.type ?? null, length: i.enclosure.length ?? null }] : []
      })
    )
  }
}

async function feedExtractor () {
  const { extractFromXml, extractFromJson } = await import('@extractus/feed-extractor')
  const feed = isJson ? extractFromJson(text) : extractFromXml(text)
  if (!feed) throw new Error('feed-extractor did not recognise the feed')
  // Its one text per entry, "description", is the summary, else the content (Atom <summary>,
  // RSS <description>), tags stripped, cut at 250 characters; for JSON Feed it is the
  // content_text or content_html, and the summary only for an item that has neither.
  const rawItems = isJson ? asList(JSON.parse(text).items) : []
  return {
    format: isJson ? 'json' : /<rss[\s>]/.test(text.slice(0, 2000)) ? 'rss' : 'atom',
    title: feed.title ?? null,
    link: feed.link ?? null,
    links: uniq([feed.link]),
    items: (feed.entries ?? []).map((e, n) => {
      const fromContent = isJson && (rawItems[n]?.content_html != null || rawItems[n]?.content_text != null)
      return item({
        title: e.title ?? null,
        link: e.link ?? null,
        id: e.id ?? null,
        summary: fromContent ? null : (e.description ?? null),
        summary_raw: fromContent ? null : (e.description ?? null),
        summary_type: fromContent ? null : 'text',
        content_text: fromContent ? (e.description ?? null) : null,
        published: e.published ?? null
      })
    })
  }
}

async function feedsmith () {
  const { parseFeed } = await import('feedsmith')
  const { format, feed } = parseFeed(text)
  const shown = (v, type) => (v == null ? null : type === 'html' ? htmlText(v) : type === 'xhtml' ? htmlText(v) : v)
  if (format === 'atom') {
    const links = asList(feed.links)
    const alt = (ls) => (ls.find((l) => !l.rel || l.rel === 'alternate') ?? {}).href ?? null
    return {
      format,
      title: feed.title?.value ?? feed.title ?? null,
      title_type: feed.title?.type ?? null,
      link: alt(links),
      links: uniq(links.map((l) => l.href)),
      items: asList(feed.entries).map((e) => {
        const ls = asList(e.links)
        const media = e.media ?? {}
        return item({
          title: e.title?.value ?? null,
          title_type: e.title?.type ?? null,
          link: alt(ls),
          id: e.id ?? null,
          authors: asList(e.authors).map((a) => a.name),
          summary: shown(e.summary?.value, e.summary?.type),
          summary_raw: e.summary?.value ?? null,
          summary_type: e.summary?.type ?? null,
          content_present: e.content != null,
          content: e.content?.value ?? null,
          content_text: shown(e.content?.value, e.content?.type ?? 'text'),
          published: e.published ?? null,
          updated: e.updated ?? null,
          categories: asList(e.categories).map((c) => c.label ?? c.term),
          image: mediaImage(media),
          enclosures: ls.filter((l) => l.rel === 'enclosure').map((l) => ({ url: l.href, type: l.type ?? null, length: l.length ?? null }))
        })
      })
    }
  }
  if (format === 'rss' || format === 'rdf') {
    return {
      format,
      title: feed.title ?? null,
      link: feed.link ?? null,
      links: uniq([feed.link, ...asList(feed.atom?.links).map((l) => l.href)]),
      items: asList(feed.items).map((i) =>
        item({
          title: i.title ?? null,
          link: i.link ?? null,
          id: i.guid?.value ?? i.guid ?? null,
          authors: uniq([...asList(i.authors).map((a) => (typeof a === 'string' ? a : a.name ?? a.email)), ...asList(i.dc?.creators), i.dc?.creator]),
          summary: shown(i.description, 'html'),
          summary_raw: i.description ?? null,
          summary_type: 'html',
          content_present: i.content?.encoded != null,
          content: i.content?.encoded ?? null,
          content_text: shown(i.content?.encoded, 'html'),
          published: i.pubDate ?? null,
          updated: i.dc?.date ?? null,
          categories: asList(i.categories).map((c) => c.name ?? c),
          image: mediaImage(i.media ?? {}),
          enclosures: asList(i.enclosures ?? i.enclosure).map((e) => ({ url: e.url, type: e.type ?? null, length: e.length ?? null }))
        })
      )
    }
  }
  // JSON Feed
  return {
    format,
    title: feed.title ?? null,
    link: feed.home_page_url ?? null,
    links: uniq([feed.home_page_url, feed.feed_url]),
    items: asList(feed.items).map((i) =>
      item({
        title: i.title ?? null,
        link: i.url ?? null,
        id: i.id ?? null,
        authors: asList(i.authors).map((a) => a.name),
        summary: i.summary ?? null,
        summary_raw: i.summary ?? null,
        summary_type: 'text',
        content_present: i.content_html != null || i.content_text != null,
        content: i.content_html ?? i.content_text ?? null,
        content_text: i.content_html != null ? htmlText(i.content_html) : (i.content_text ?? null),
        published: i.date_published ?? null,
        updated: i.date_modified ?? null,
        categories: asList(i.tags),
        image: i.image ?? null,
        enclosures: asList(i.attachments).map((a) => ({ url: a.url, type: a.mime_type ?? null, length: a.size_in_bytes ?? null }))
      })
    )
  }
}

function mediaImage (media) {
  const pick = (xs) => asList(xs).map((x) => x.url).find(Boolean)
  return (
    pick(media.contents) ??
    pick(media.thumbnails) ??
    pick(asList(media.groups).flatMap((g) => asList(g.contents))) ??
    null
  )
}

const readers = { 'rss-parser': rssParser, 'feed-extractor': feedExtractor, feedsmith }
if (!readers[reader]) {
  console.error(`unknown reader ${reader}: one of ${Object.keys(readers).join(', ')}`)
  process.exit(2)
}
try {
  const out = await readers[reader]()
  process.stdout.write(JSON.stringify({ reader, title_type: null, ...out }) + '\n')
} catch (err) {
  // A reader that cannot read the file at all: the test reports its message.
  process.stdout.write(JSON.stringify({ reader, error: String(err?.message ?? err) }) + '\n')
  process.exit(1)
}
