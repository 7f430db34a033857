<?xml version="1.0" encoding="UTF-8"?>
<!-- feedlib: shows an Atom 1.0 or RSS 2.0 feed as a web page when a browser opens it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom media">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/atom:feed/atom:title | /rss/channel/title"/>
  <xsl:variable name="home" select="(/atom:feed/atom:link[@rel='alternate' or not(@rel)]/@href | /rss/channel/link)[1]"/>
  <xsl:variable name="description" select="/atom:feed/atom:subtitle | /rss/channel/description"/>
  <xsl:variable name="self" select="(/atom:feed/atom:link[@rel='self']/@href | /rss/channel/atom:link[@rel='self']/@href)[1]"/>
  <!-- The page's words follow the feed's language: Japanese for ja (ja-JP…), English otherwise. -->
  <xsl:variable name="lang" select="normalize-space(/atom:feed/@xml:lang | /rss/channel/language)"/>
  <xsl:variable name="ja" select="translate(substring($lang, 1, 2), 'JA', 'ja') = 'ja' and (string-length($lang) = 2 or substring($lang, 3, 1) = '-')"/>

  <xsl:template match="/">
    <html>
      <xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:call-template name="text"><xsl:with-param name="node" select="$title"/></xsl:call-template><xsl:choose><xsl:when test="$ja">（フィード）</xsl:when><xsl:otherwise> (feed)</xsl:otherwise></xsl:choose></title>
        <style>
          body { font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif;
                 max-width: 44rem; margin: 0 auto; padding: 1.5rem; color: #1f2328; background: #fff; }
          .about { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: .75rem 1rem; }
          .about code { word-break: break-all; }
          h1 { font-size: 1.8rem; margin: 1.5rem 0 .25rem; }
          h2 { font-size: 1.2rem; margin: 0; }
          a { color: #0969da; }
          .description { color: #59636e; margin-top: 0; }
          article { border-top: 1px solid #d1d9e0; padding: 1rem 0; }
          time { color: #59636e; font-size: .9rem; }
          article p { margin: .4rem 0 0; }
        </style>
      </head>
      <body>
        <xsl:choose>
          <xsl:when test="$ja">
            <!-- One line: a line break between Japanese words would show as a space. -->
            <p class="about"><strong>これはウェブフィード</strong>（RSS・Atom フィード）です。このページのアドレス（<code><xsl:value-of select="$self"/></code>）をフィードリーダーに登録すると、新しい記事を<strong>購読</strong>できます。フィードの使い方は <a href="https://aboutfeeds.com/">About Feeds</a>（英語）で紹介しています。無料で始められます。</p>
          </xsl:when>
          <xsl:otherwise>
            <p class="about"><strong>This is a web feed</strong>, also known as an RSS or Atom feed.
              <strong>Subscribe</strong> by copying the address of this page into your news reader
              (<code><xsl:value-of select="$self"/></code>).
              Visit <a href="https://aboutfeeds.com/">About Feeds</a> to learn more and get started. It's free.</p>
          </xsl:otherwise>
        </xsl:choose>
        <h1>
          <a><xsl:call-template name="href"><xsl:with-param name="url" select="$home"/></xsl:call-template><xsl:call-template name="text"><xsl:with-param name="node" select="$title"/></xsl:call-template></a>
        </h1>
        <p class="description"><xsl:call-template name="text"><xsl:with-param name="node" select="$description"/></xsl:call-template></p>
        <xsl:apply-templates select="/atom:feed/atom:entry | /rss/channel/item"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <h2><a><xsl:call-template name="href"><xsl:with-param name="url" select="(atom:link[@rel='alternate' or not(@rel)]/@href)[1]"/></xsl:call-template><xsl:call-template name="text"><xsl:with-param name="node" select="atom:title"/></xsl:call-template></a></h2>
      <time datetime="{atom:published | atom:updated[not(../atom:published)]}"><xsl:value-of select="substring(atom:published | atom:updated[not(../atom:published)], 1, 10)"/></time>
      <p><xsl:call-template name="text"><xsl:with-param name="node" select="atom:summary"/></xsl:call-template></p>
    </article>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <h2><a><xsl:call-template name="href"><xsl:with-param name="url" select="link"/></xsl:call-template><xsl:value-of select="title"/></a></h2>
      <xsl:variable name="date"><xsl:call-template name="rfc822-date"><xsl:with-param name="date" select="pubDate"/></xsl:call-template></xsl:variable>
      <time datetime="{$date}"><xsl:value-of select="$date"/></time>
      <!-- An RSS description is HTML: feedlib writes it as escaped plain text. -->
      <p><xsl:value-of select="description" disable-output-escaping="yes"/></p>
    </article>
  </xsl:template>

  <!-- An RFC 822 date as RSS writes it ("Sat, 01 Feb 2025 09:00:00 +0900", the day name
       optional) as the Atom page shows its RFC 3339 dates: 2025-02-01, the date where it
       was written. A date it cannot read is shown as it is. -->
  <xsl:template name="rfc822-date">
    <xsl:param name="date"/>
    <xsl:variable name="full" select="normalize-space($date)"/>
    <xsl:variable name="rest">
      <xsl:choose>
        <xsl:when test="contains($full, ',')"><xsl:value-of select="normalize-space(substring-after($full, ','))"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$full"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="day" select="substring-before($rest, ' ')"/>
    <xsl:variable name="month-name" select="substring-before(substring-after($rest, ' '), ' ')"/>
    <xsl:variable name="year" select="substring-before(concat(substring-after(substring-after($rest, ' '), ' '), ' '), ' ')"/>
    <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
    <xsl:choose>
      <xsl:when test="string-length($month-name) = 3 and contains($months, $month-name) and string-length($year) = 4 and number($day) = number($day)">
        <xsl:value-of select="concat($year, '-', format-number(string-length(substring-before($months, $month-name)) div 3 + 1, '00'), '-', format-number($day, '00'))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$full"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An href for an http(s) URL only: a javascript:, data: or any other link in a feed
       (an old one, or one edited by hand) stays text on the page, never a link. -->
  <xsl:template name="href">
    <xsl:param name="url"/>
    <xsl:variable name="trimmed" select="normalize-space($url)"/>
    <xsl:variable name="scheme" select="translate(substring($trimmed, 1, 8), 'HPST', 'hpst')"/>
    <xsl:if test="starts-with($scheme, 'https://') or starts-with($scheme, 'http://')">
      <xsl:attribute name="href"><xsl:value-of select="$trimmed"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- An Atom text construct: plain text as it is, type="html" (escaped plain text in feedlib's feeds) unescaped. -->
  <xsl:template name="text">
    <xsl:param name="node"/>
    <xsl:choose>
      <xsl:when test="$node/@type = 'html'"><xsl:value-of select="$node" disable-output-escaping="yes"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$node"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
