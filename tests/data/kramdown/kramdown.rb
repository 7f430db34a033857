# Write what kramdown makes of each case in cases.json, as Jekyll 4.3 sets kramdown up:
#   ruby tests/data/kramdown/kramdown.rb   (from the repository; needs the kramdown and
#   kramdown-parser-gfm gems: Debian's ruby-kramdown ruby-kramdown-parser-gfm)
# Each case is cases/SOURCE.md rendered with Jekyll's kramdown defaults, the case's
# "kramdown" options merged over them, and its "highlighter" (Jekyll's top-level key);
# the HTML goes to expected/NAME.html.
require 'kramdown'
require 'kramdown-parser-gfm'
require 'json'

here = File.dirname(__FILE__)
defaults = {
  'input' => 'GFM', 'auto_ids' => true, 'toc_levels' => (1..6).to_a, 'entity_output' => 'as_char',
  'smart_quotes' => 'lsquo,rsquo,ldquo,rdquo', 'hard_wrap' => false, 'guess_lang' => true,
  'footnote_nr' => 1, 'show_warnings' => false,
}
cases = JSON.parse(File.read(File.join(here, 'cases.json')))
Dir.mkdir(File.join(here, 'expected')) unless Dir.exist?(File.join(here, 'expected'))
cases.each do |name, spec|
  options = defaults.merge(spec['kramdown'] || {})
  highlighter = options['syntax_highlighter'] || spec['highlighter'] || 'rouge'
  options['syntax_highlighter'] = highlighter == 'none' ? nil : highlighter
  options['syntax_highlighter_opts'] = { 'default_lang' => 'plaintext', 'guess_lang' => true }
  source = File.read(File.join(here, 'cases', spec['source']))
  File.write(File.join(here, 'expected', "#{name}.html"), Kramdown::Document.new(source, options).to_html)
end
