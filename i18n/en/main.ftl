# mingbai's English messages (when the locale asks for English). Every id here must
# also be in i18n/zh-CN/main.ftl.

## Diagnostics layout

label-error = error
label-warning = warning
label-hint = hint
tally-errors = { $errors } error(s)
tally-warnings = { $warnings } warning(s)
tally-both = { $errors } error(s), { $warnings } warning(s)
diags-hidden = … { $hidden } more problem(s) not shown: fix the ones above and run again to see the rest
invisible-char = an invisible character { $code } ({ $name }) is here; no page or card can show it
invisible-char-hint = it was most likely copied from another document: delete it (put the cursor here and press Delete once, or retype the characters around it)
invisible-name-bom = byte-order mark, zero-width no-break space
invisible-name-control = control character

## Reading files and encodings

file-unreadable = cannot read this file: { $error }
file-not-utf8 = this file is neither UTF-8 nor GBK text
file-not-utf8-hint = open it in Notepad, Save As, and choose the encoding "UTF-8"
file-gbk = "{ $file }" is GBK-encoded; it was read as GBK
file-gbk-hint = save it as UTF-8 (Notepad: Save As → Encoding "UTF-8") so other computers and programs read it right
file-utf16 = "{ $file }" is UTF-16-encoded (Notepad calls it "Unicode"); it was read as UTF-16

## Front matter (the settings between +++ lines)

fm-missing = missing front matter: an entry starts with a line +++
fm-missing-hint = an entry starts with a line +++, then settings such as title = "…", then +++, then the text
fm-yaml-hint = mingbai reads TOML front matter between +++ lines, not YAML between ---: change both --- lines to +++ and "title: x" to title = "x"
fm-not-closed = front matter is not closed: the second +++ line is missing
fm-not-closed-hint = add a line +++ after the last setting (such as title = "…"), before the text
fm-full-width-fence = "{ $fence }" is written with full-width plus signs; use ASCII +++
fm-full-width-fence-hint = switch the input method to English (or Shift+Space for half-width) and type +++
typo-cn-quote = "{ $ch }" is a Chinese quotation mark: text values need ASCII double quotes "
typo-fw-equals = "{ $ch }" is a full-width equals sign; use ASCII =
typo-cn-comma = "{ $ch }" is Chinese punctuation: list items are separated by ASCII commas ,
typo-fw-bracket = "{ $ch }" is a full-width bracket; use ASCII [ ] or {"{"} {"}"}
typo-cn-colon = "{ $ch }" is a Chinese colon: settings are written name = value, with an ASCII equals sign
typo-fw-hash = "{ $ch }" is a full-width number sign; comments start with ASCII #
typo-fw-space = a full-width (Chinese) space is here; settings take ASCII spaces only
typo-fix-line = write: { $line }
typo-unquoted-phone = phone numbers need quotes: { $key } = "{ $value }"
typo-unquoted-number = "{ $value }" is neither a date nor a number; put it in quotes: { $key } = "{ $value }"
body-fw-heading = "＃" is a full-width hash, so this line is no heading: use an ASCII # followed by a space
body-fw-table = "｜" is a full-width bar, so these lines are no table: use ASCII |
body-run-together = These lines run together into one paragraph on the page and in the handbook: "{ $mark }" does not start a list item
body-run-together-hint = Write: { $line } (each list item starts with - or 1. and a space); lines that are no list need a blank line between them
body-spaced-target = `{ $target }` has a space, so this { $what } does not show: the page shows the text as written. A file name with a space goes in angle brackets
body-spaced-target-hint = Change { $written } to: { $fixed } (or take the space out of the file name)
body-what-image = picture
body-what-link = link
typo-cn-key = "{ $name }" is written { $key }: field names are English
typo-loose-date = Write the date as year-month-day, with two-digit month and day and no quotes: { $key } = { $date }
typo-unquoted-text = text needs quotes: { $key } = "{ $value }"

## Values

toml-invalid = invalid TOML: { $message }
toml-invalid-hint = strings need double quotes (title = "…"), lists need brackets (tags = ["教育"]), dates are written bare (effective = 2025-03-01)
toml-why-extra = something follows the value on this line (several items go in one list: tags = ["兜底", "老年人"])
toml-why-array-comma = a comma is missing between two items of the list
toml-why-table-comma = a comma is missing between two items in the braces
toml-why-unquoted = text must be in double quotes
toml-why-quotes = a quote is not closed, or a quote inside the text must be written \"
toml-why-unclosed-array = the list's [ has no ]
toml-why-unclosed-table = the brackets of [ table ] do not match
toml-why-unclosed-inline = the brace {"{"} has no {"}"}
toml-why-no-value = nothing is written after the equals sign
toml-why-no-equals = an equals sign is missing between the name and the value (name = value)
toml-why-key = a name before the equals sign may hold only Latin letters, digits, - and _
toml-why-deep = lists or braces are nested too deeply
toml-why-duplicate = the same setting is written twice; keep one
unknown-key = unknown key `{ $key }`
did-you-mean = did you mean `{ $name }`?
known-keys = known keys here: { $keys }
type-wrong = `{ $key }` must be { $expected }
for-example = for example: { $example }
missing-key = missing required key `{ $key }`
missing-key-hint = add a line such as: { $example }
value-invisible = the value of `{ $key }` holds an invisible character { $code } ({ $name }); no page or card can show it
value-invisible-hint = delete the character (it was most likely copied from another document, or written as a \u escape)
value-empty = `{ $key }` is empty
value-empty-hint = write it out, e.g. { $example }
list-strings-only = `{ $key }` must list strings only
list-tables-only = `{ $key }` must list tables, each written {"{"} name = value {"}"}
type-string = a string
type-string-list-brackets = a list of strings, in brackets
type-string-list = a list of strings
type-real-date = a real calendar date
type-date = a date without a time
type-bool = true or false
type-int = a whole number
type-number = a number
type-number-list = a list of numbers
type-table = a table
type-table-list = a list of tables
date-quoted = `{ $key }` is a quoted string, not a date
date-quoted-hint = drop the quotes: { $key } = { $value }
range-between = between { $lo } and { $hi }{ $unit }
range-out = `{ $key } = { $written }` is out of range: { $key } must be { $allowed }
range-hint = use a number in that range, e.g. { $example }

## Entries and sections

content-no-folder = no content/ folder: the handbook's entries live in content/
content-no-folder-hint = entries live in { $dir }/<chapter>/<entry>.md; run mingbai in the handbook folder (the one with site.toml)
content-unreadable = cannot read content/: { $error }
content-no-index = folder content/{ $section }/ has entries but no _index.md
content-no-index-hint = create content/{ $section }/_index.md with three lines: +++, title = "…" (and weight = 10 for its place), +++
section-sort-by = sections are ordered by each entry's `weight`, smallest first
kind-unknown = unknown kind "{ $kind }"
kind-unknown-hint = kind is "policy" (政策条目) or "faq" (问答卡)
kind-name-policy = policy
kind-name-faq = FAQ
key-of-other-kind = `{ $key }` belongs to { $other } entries, and this entry is a { $this }; set kind = "{ $kind }" or move the file to a section of that kind
id-invalid = id "{ $id }" cannot be used as a web address
id-invalid-hint = ids use ASCII letters, digits, `-`, `_` and `/`, e.g. id = "xindai/xiaoe"
file-name-invalid = file name "{ $name }" cannot be used as a web address
file-name-invalid-hint = rename the file in pinyin or ASCII (xiaoe.md), or set id = "…" in the front matter
figure-name-bad = figure name "{ $name }" cannot be used: no dots, spaces or braces in names
figure-name-bad-hint = use a simple name such as max, term or 最高额度
expires-not-after-effective = expiry date { $expires } is not after the effective date { $effective }: the policy would end before it starts
expires-not-after-effective-hint = one of the dates is most likely mistyped: expires must be later than effective

## Check warnings

check-expired = policy "{ $title }" expired on { $date }
check-expired-hint = its page and card say 已失效; update `expires` or remove the entry
check-review-old = policy "{ $title }" was last reviewed on { $date }, more than { $months } months ago
check-review-old-hint = check it against the current documents and update `reviewed`
check-far-future = { $key } = { $date } is more than a year after today ({ $today }): most likely a typo
check-far-future-hint = check the year (2062 for 2026?) and correct { $key }
check-placeholder-phone = phone "{ $phone }" is the template's placeholder; printed on a card, nobody can call it
check-placeholder-phone-hint = write the real office phone, e.g. phone = "0736-6623456"
check-faq-no-policy = FAQ "{ $title }" cites no policy
check-faq-no-policy-hint = add policies = ["…"] so readers can find the rules behind the answer

## site.toml

config-unreadable = cannot read site.toml: { $error }
config-unreadable-hint = run mingbai in a handbook folder (one with site.toml), or pass --root; looked in { $root }
config-tag-slug = tag slug `{ $slug }` is not URL-safe
config-tag-slug-hint = use lowercase ASCII letters, digits and `-`, e.g. "jiaoyu"
config-show-id-key = the key is show_id = "masked"
config-show-id = show_id = "{ $value }" is not allowed
config-show-id-hint = a full ID number is never printed: use "none" or "masked" (first 6 and last 4)
config-cards-output = `output` must be a folder inside the handbook
config-card-size = card size `{ $size }` is not A5 or A6
config-card-size-hint = card_size = "A6" (4 cards on an A4 sheet) or "A5" (2 cards)
config-expired-cards = `{ $value }` is not "mark" or "skip"
config-expired-cards-hint = expired_cards = "mark" prints them with 已失效; "skip" leaves them out
config-base-url = `base_url` must be an absolute http(s) address
config-base-url-hint = e.g. base_url = "https://zwgk.qinghe.gov.cn/mingbai" (used in QR codes, sitemap and feed)
config-output-dir = `output_dir` must be a folder name inside the handbook
config-placeholder-url = base_url = "{ $url }" is an example address: every card's QR code would point there
config-placeholder-url-hint = write the handbook site's real address, e.g. base_url = "https://zwgk.qinghe.gov.cn/mingbai"

## Links and images

link-unresolved = unresolved internal link `{ $link }`
link-unresolved-hint = no entry content/{ $target } — the path is relative to content/, e.g. @/xindai/xiaoe.md
link-relative-md = link `{ $link }` lacks @/: write `{ $fixed }`
link-relative-md-hint = links to other entries start with @/ and a path from content/; without it the link is dead on the site
link-relative-md-unknown = link `{ $link }` names no entry; it would be dead on the site
link-relative-md-unknown-hint = link to entries as @/<chapter folder>/<file>.md, e.g. [小额信贷](@/jinrong/xiaoe.md)

## build and check results

build-more-warnings = … and { $n } more warnings: run `mingbai check` to see them all
build-done = built { $pages } pages and { $files } static files ({ $mb } MB) into { $output } in { $secs } s
build-search-index = search index: { $mb } MB in { $files } files (loaded a few files at a time)
build-search-kept = { $n } changed entries indexed again, the rest of the index kept from the last build (in .mingbai-cache, safe to delete)
build-printed = printed { $cards } cards ({ $sheets } A4 sheets in print/cards.pdf)
build-printed-handbook = printed { $cards } cards ({ $sheets } A4 sheets in print/cards.pdf) and a { $pages }-page handbook
build-card-back = { $n } card(s) did not fit one face and continue on the back: { $ids }
build-cards-reused = { $n } of them unchanged since the last build, reused from the card cache (.mingbai-cache, safe to delete)
build-sheets-copied = { $n } pages of print/cards.pdf hold no changed card, copied from the last build
build-chapters-reused = { $n } handbook chapters unchanged since the last build, their pages copied from the last handbook
build-chapters-resumed = { $n } handbook chapters laid out again only from the first changed entries on, their pages before those copied from the last handbook
build-chapters-rejoined = { $n } handbook chapters laid out again only until their pages were the last handbook's again, the rest copied from it
strict-fails = --strict treats warnings as errors
build-failed = build failed: the previous output, if any, was left as it was
check-passed = check passed: { $pages } pages, no problems
check-passed-warnings = check passed with warnings: { $pages } pages
check-failed-strict = check failed: --strict treats warnings as errors
image-missing = image "{ $file }" not found
image-missing-hint = put the image there (easiest: in the entry's own folder, written ![caption](file.png)), or correct its file name
image-missing-static-hint = images starting with / live in the handbook's static/ folder: this one should be { $file }
image-unreadable = image "{ $file }" cannot be opened: it is not a sound PNG or JPEG file
image-unreadable-hint = open it in an image viewer and save it again as PNG or JPEG
image-phone-format = image "{ $file }" is a { $kind } file: most phone browsers cannot show it, and it cannot be printed
image-phone-format-hint = save it again as JPEG (.jpg) in an image viewer and change the file name here; on an iPhone, Settings → Camera → Formats → Most Compatible makes new photos JPEG
image-large = image "{ $file }" is { $mb } MB, { $width }×{ $height } pixels: it is published scaled down on the web
image-large-hint = the original stays in content/ for print; web images are at most { $max } pixels wide. Shrinking phone photos before adding them keeps the handbook folder small

## Command line help (mingbai --help)

cli-about = 明白: builds a county policy handbook (政策手册) into a website and printable 明白卡
cli-usage = Usage
cli-commands = Commands
cli-options = Options
cli-arguments = Arguments
cli-help = Print help
cli-version = Print version
cli-build = Build the site (and print PDFs) into the output folder
cli-serve = Build, serve the site on this computer, and rebuild and reload on every save
cli-watch = Build, then rebuild on every save (no server)
cli-check = Check everything a build checks, and warn about stale content; write nothing
cli-diff = What changed between two editions (修订说明): each side is a handbook folder or a git revision (tag, branch, commit) of this handbook
cli-init = Create a new handbook in DIR with one policy and one FAQ entry
cli-cards = Print household cards (户明白卡) from a sheet (CSV or Excel) of households
cli-arg-root = The handbook folder (the one with site.toml)
cli-arg-output = Where to write the site; default: `output_dir` of site.toml under the root
cli-arg-no-print = Skip print output (明白卡 and handbook PDFs)
cli-arg-no-search = Skip the search index and the search page
cli-arg-timings = Show how long each stage took (load, pages, search, print, …)
cli-build-large-print = Print the large-print cards (大字版): body text at least 14 pt, on A5 (as [print] type_size = "large" in site.toml)
cli-cards-large-print = Print large-print household cards (大字版): body text at least 14 pt (as [print] type_size = "large" in site.toml)
cli-build-strict = Treat warnings (expired policies, stale reviews, …) as errors
cli-check-strict = Treat warnings as errors (exit non-zero)
cli-serve-port = Port to listen on (0: any free port)
cli-serve-bind = Address to listen on; the default is this computer only
cli-serve-open = Open the site in the browser
cli-diff-old = The previous edition
cli-diff-new = The new edition (default: the handbook folder itself)
cli-diff-json = Print the comparison and the cards to reprint as JSON
cli-init-dir = The new handbook's folder
cli-cards-data = The sheet (.xlsx .xls .et .ods .csv …, told apart by content), or a folder: every sheet in it
cli-cards-handbook = The handbook's published policy list (policies.json from its site), for printing without the handbook's source folder
cli-cards-village = Only this village (村 name, or 乡镇+村)
cli-cards-output = Where to write the cards; default: [cards] output of site.toml (print-private/)
cli-cards-single = One PDF for all villages instead of one per village
cli-cards-copies = Copies of each card (一式N份), 1 to 10
cli-cards-encoding = CSV encoding when detection is not wanted: utf-8, gbk or gb18030
cli-cards-sheet = The worksheet to read (default: the first)
cli-cards-skip-bad-rows = Print the households without problems and list the rows skipped
cli-cards-strict = A policy the handbook does not list is an error, not a warning

## init

init-done = created a new handbook in { $dir }
    next: cd { $dir } && mingbai serve; replace base_url in site.toml and the phone numbers in the entries with real ones
init-unreadable = cannot read { $dir }
init-unwritable = cannot write { $path }
init-not-empty = { $dir } already exists and is not empty; init only creates new handbooks

## The preview's (serve) error box

overlay-title = Build failed: fix the problems below
overlay-note = The page shows the last good build. Save the fixed file and this page reloads by itself.
overlay-more = … and { $more } more error(s) in the terminal
cli-default = { " " }[default: { $value }]
cli-default-here = { " " }[default: .]

## Checks across entries (ids, policies cited by FAQs, tags)

site-duplicate-id = duplicate id `{ $id }`
site-duplicate-id-hint = { $other } has the same id; ids must be unique (set a different id = "…")
site-faq-cites-faq = `{ $id }` is a FAQ, not a policy
site-faq-unknown-policy = FAQ cites unknown policy `{ $id }`
site-faq-policy-by-name = `{ $name }` is a policy's name: policies lists policy ids
site-faq-policy-by-name-hint = Write "{ $id }" (the id is the file path under content/ without .md)
site-faq-policies-hint = policies = ["…"] lists policy ids: the file path under content/ without .md, e.g. "xindai/xiaoe"
site-tag-slug-clash = tags `{ $a }` and `{ $b }` have the same slug `{ $slug }`
site-tag-slug-clash-hint = give them different slugs under [tag_slugs] in site.toml, e.g. "{ $b }" = "{ $slug }-2"
ids-collision = the id `{ $id }` of { $file } (address /{ $id }/) is the same as { $other }: one would overwrite the other
ids-collision-id-hint = give this entry another id (e.g. with its chapter in front: id = "jiaoyu/xxx"), or delete the id line to use the file path
ids-collision-file-hint = rename the file, or set an id = "…" no other entry uses
ids-section = the chapter content/{ $id }/_index.md
ids-file = the file { $file }
ids-static = the static file { $file }
ids-builtin-search = the built-in search page search/
ids-builtin-tags = the built-in tag pages tags/
ids-builtin-print = the print folder print/ (cards and handbook PDF)
ids-builtin-sitemap = the built-in sitemap sitemap.xml
ids-builtin-atom = the built-in feed atom.xml
ids-builtin-404 = the built-in "page not found" page 404.html
ids-builtin-index = the home page index.html
ids-builtin-marker = the output folder's marker file
ids-builtin-manifest = the output folder's file list

## Themes and templates

theme-not-found = theme `{ $name }` not found
theme-not-found-hint = put it in { $dir } or use theme = "default"
template-folder-unreadable = cannot read the { $sub }/ folder of the theme: { $error }
template-not-utf8 = this file is not UTF-8 text; templates and style files must be saved as UTF-8
theme-file-gbk = this file is GBK-encoded (unreadable from "{ $char }" on); templates and style files must be saved as UTF-8
theme-file-utf16 = this file is UTF-16-encoded (Notepad calls it "Unicode"); templates and style files must be saved as UTF-8
template-error = template error: { $message }
template-error-hint = see the template syntax at https://keats.github.io/tera/docs/ and the context in docs/templates.md

## Writing the site

write-build-folder = cannot create a build folder beside { $dir }: { $error }
write-build-folder-hint = check that this place can be written to (disk full, or no permission)
write-move-site = cannot move the new site into { $dir }: { $error }
write-move-site-hint = close programs that have files of this folder open (browser, file manager, antivirus) and build again
write-feeds = cannot write feeds: { $error }
write-search-index = cannot write the search index: { $error }
write-file = cannot write { $file }: { $error }
write-failed = cannot write { $error }
output-nul-in-path = NUL in path
read-file = cannot read { $file }: { $error }
read-static = cannot read static files: { $error }

## Preview (serve, watch) terminal lines

serve-error = error: { $message }
serve-cannot-watch = cannot watch { $dir }: { $error }
serve-cannot-start = cannot start the preview server: { $error }
serve-first-build = first build done in { $secs } s
serve-serving = serving { $dir } at { $url } — watching for changes, Ctrl-C to stop
serve-listening-all = note: listening on { $addr } — other computers on the network can see the preview
serve-no-browser = could not open a browser; visit { $url }
serve-watching = watching { $root } — rebuilding into { $out } on every save, Ctrl-C to stop
serve-rebuilt = { $time } { $pages } page(s) rendered, { $files } file(s) written{ $removed } in { $ms } ms{ $after }
serve-rebuilt-removed = , { $n } removed
serve-rebuilt-after = { " " }(pages on disk after { $ms } ms)
serve-build-failed = { $time } build failed: still serving the last good site
serve-cards-failed = { $time } cards not printed
serve-printed = { $time } printed { $cards } cards and { $pages } handbook pages in { $secs } s
serve-print-failed = { $time } print failed
serve-port-busy = port { $port } is in use (maybe another mingbai serve is still running): use another port, e.g. mingbai serve --port { $free }
serve-port-busy-none = port { $port } is in use: choose another one with --port
serve-cannot-listen = cannot listen on { $addr }: { $error }
serve-no-page = 404: no such page
serve-bad-request = bad request

## Other command lines

timings-heading = timings:
cards-unknown-encoding = unknown encoding `{ $encoding }`: write utf-8, gbk or gb18030
cards-no-village = the table has no `{ $village }`; it has: { $all }
cards-none = no households to print

## Print (print/style.toml and fonts)

style-not-colour = `{ $value }` is not a colour
style-not-colour-hint = colours are written "#b3261e"
style-size-two = `{ $key }` needs two numbers
style-size-two-hint = size = [105, 148] (width, height in mm)
style-size-sides = each side must be between 50 and 1200 mm
style-paper-unknown = unknown paper size `{ $name }`
style-paper-unknown-hint = use A4, A5, A6, B5, or [width, height] in mm
style-margin-count = a margin takes 1, 2 or 4 numbers
style-margin-hint = margin = [20, 18, 20, 18] (top, right, bottom, left in mm)
style-margin-range = no negative numbers; top and bottom together at most { $v } mm, left and right at most { $h } mm (half the paper)
style-colour-unknown = unknown colour `{ $value }`
style-colour-unknown-hint = use a name from [colors] or "#rrggbb"
style-align-unknown = unknown alignment `{ $value }`
style-align-unknown-hint = left, justify, center or right
unit-mm = { " " }mm
unit-pt = { " " }pt
unit-times = ×
unit-faces = { " " }faces
style-missing = the theme has no print/style.toml
font-unreadable = cannot read font { $file }: { $error }
font-unreadable-hint = [print] fonts lists font files relative to the handbook folder
font-theme-unreadable = cannot read theme fonts: { $error }
font-not-font = { $name } is not a font file mingbai can read
font-none = no fonts for print
font-none-hint = the theme's fonts/ folder must hold at least one regular font
font-missing-char = no font can print the character `{ $char }` (U+{ $code })
font-missing-char-hint = add a font that has it under [print] fonts in site.toml, or install one on this computer
font-missing-chars = the handbook has characters no font can print: { $chars }
font-subset = cannot subset { $font }: { $error }
card-cannot-print = the card of `{ $title }` cannot be printed: { $error }
card-no-font = no font can print { $chars }
card-footer-too-tall = the card's footer (QR code, phones) or its back's heading takes most of a face
card-block-too-tall = a single block is taller than the card (a very long table or list item?)
card-too-many-faces = the card needs { $n } faces but a card has { $max }: shorten its content (a policy entry can also say card = false)
card-layout-bug = layout bug (please report it): 「{ $what }」 spans { $x0 }–{ $x1 } pt in a { $w } pt wide card
pdf-subset-failed = error: { $error } (the PDF may lack text)

## Print templates (markup under print/)

markup-error = print markup: { $message }
markup-error-hint = the print markup is described in docs/print.md
markup-too-deep = <{ $tag }> is nested more than { $max } elements deep, print layout supports { $max }: most likely a closing tag is missing (e.g. </row> or </box>)
markup-text-outside = text "{ $text }" outside a paragraph; wrap it in <p>
markup-list-item = <{ $tag }> inside <{ $list }>: a list holds <li> items
markup-fields-item = <{ $tag }> inside <fields>: use <field label="…">
markup-field-label = <field> needs a label="…"
markup-row-item = <{ $tag }> inside <row>: a row holds <col> elements
markup-qr-data = <qr> needs data="…" (the address to encode)
markup-qr-too-long = the QR code's data “{ $data }” is too long ({ $len } bytes); one code holds at most { $max }: put only the address in the code and the long text on the card
markup-qr-too-dense = the QR code's data “{ $data }” ({ $len } bytes) is too dense for { $size } mm: each module would be { $module } mm, too small for a phone to scan; write size="{ $need }" (mm) on the <qr> (and make its <col> as wide) or make the data shorter
markup-bad-length = <{ $tag }> has { $attr }="{ $value }", which is not a length: write millimetres as a plain number, e.g. { $attr }="21"
markup-content-unknown = <content> of unknown entry `{ $id }`
markup-did-you-mean = { " " }(did you mean <{ $name }>?)
markup-unknown = unknown element <{ $tag }>{ $hint }
markup-table-item = <{ $tag }> inside <table>: a table holds <tr> rows
markup-tr-item = <{ $tag }> inside <tr>: use <td> or <th>
markup-block-inline = <{ $tag }> is a block and cannot sit inside a paragraph
markup-unknown-inline = unknown inline element <{ $tag }>

## Other checks and print errors

site-same-policy-name = two policies are called `{ $name }`: { $at1 } and { $at2 }; a household table that says `{ $name }` cannot tell which one
site-same-policy-name-hint = give one of them another title or alias (aliases)
output-refused-arg = --output { $dir }: { $why }
output-refused-arg-hint = give --output a new or empty folder (e.g. --output public), not one holding the handbook, documents or other files
output-refused-config = site.toml output_dir = "{ $dir }": { $why }
output-refused-config-hint = set output_dir to a new folder that holds only the site, e.g. output_dir = "public"
edition-in = (edition `{ $spec }`) { $message }
edition-no-git = git not found ({ $error })
edition-not-found = previous edition `{ $rev }` not found: it is neither a handbook folder (with a site.toml) nor a git revision of this repository
edition-not-found-hint = give the path of a handbook folder (e.g. ../handbook2025), or a git tag, branch or commit (e.g. v2025); git says: { $why }
edition-export = cannot export the previous edition `{ $rev }` to the temporary folder { $dir }: { $error }
edition-no-site-toml = this revision has no site.toml
print-card-margin = site.toml card_size = "{ $size }" ({ $w }×{ $h } mm) does not fit the [card] margin of print/style.toml: the margins take { $v } mm top and bottom, { $hz } mm left and right, more than half the card
print-card-margin-hint = make the [card] margin in print/style.toml smaller (e.g. margin = 6), or go back to the previous card size
handbook-chapter-unread = a chapter of the handbook could not be laid out from the last build's record of it
handbook-chapter-unread-hint = delete the .mingbai-cache folder in the site's folder (it holds only records that can be made again) and build again
handbook-too-tall = a block of the handbook is taller than a page and does not fit the pages of handbook.pdf
handbook-too-tall-hint = most likely a very long table (split it), or a type size, line height, margin or [page] text_scale in print/style.toml that is too large (make it smaller)
handbook-image = the picture `{ $addr }` cannot be printed in the handbook: { $why }
handbook-image-hint = put the picture (.png or .jpg) beside the entry's .md file and write ![caption](name.png); or under static/ and write ![caption](/img/name.png). The file name must match exactly
handbook-image-file-hint = open the picture in an image viewer, save it as JPEG (.jpg) or PNG (.png), and change the file name here
image-web = pictures on the web cannot be printed: download the picture into the handbook folder
image-empty-address = the picture address is empty
image-img-src = <img> needs a picture file: <img src="/img/logo.png"/> (a file under static/)
image-img-why = <img src="{ $src }">: { $why }
image-not-found = picture file not found
image-file-unreadable = cannot read the picture file: { $error }
image-read-failed = the picture could not be read
image-not-here = pictures cannot be used here
image-why-file = { $why } ({ $file })
image-jpeg-broken = this JPEG file is incomplete or damaged: export it again
image-jpeg-undecodable = this JPEG picture cannot be decoded ({ $error }): export it again
image-png-undecodable = this PNG picture cannot be decoded ({ $error }): export it again
image-format = only PNG or JPEG (.png, .jpg) pictures can be used: save the picture in one of these formats

## Where mingbai may write (the site's output folder and the cards' folder)

guard-role-root = the handbook folder
guard-role-content = the content folder content/
guard-role-static = the static folder static/
guard-role-templates = the templates folder templates/
guard-role-themes = the themes folder themes/
guard-role-print = the print templates folder print/
guard-role-output = the site's output folder
guard-overlap-same = { $what } is { $label } ({ $folder })
guard-overlap-inside = { $what } is inside { $label } ({ $folder })
guard-overlap-contains = { $what } contains { $label } ({ $folder })
guard-output-overlap = output folder { $conflict }: every build replaces the output folder wholesale, deleting what was in it, so it cannot be used
guard-output-not-folder = the output location { $path } is a file, not a folder: the build would replace it with the site's folder
guard-output-foreign = the output folder { $path } already holds files mingbai did not make ({ $names }): the build replaces this folder wholesale and would delete them
list-sep = {", "}
guard-names-more = { $n } in all
guard-cards-here = household cards cannot be written here: { $conflict }. The cards hold households' personal details; here they would be published on the site or read in by the handbook
guard-cards-here-hint = use a folder outside the handbook folder (such as --output D:/cards), or write output = "print-private" (the default) under [cards] in site.toml

## Files that must not be published (spreadsheets, documents, ID numbers)

privacy-file-kind-sheet = a spreadsheet
privacy-file = { $file } is { $what }; it would be published with the site, and it may hold households' personal details
privacy-file-hint = household data must not go into the site: move spreadsheets and documents out of content/ and static/ (print household cards with mingbai cards --data FILE); convert guides meant for publishing to PDF
privacy-id = an ID number ({ $start }…) is here; it would be published with the site
privacy-id-hint = policy pages need no ID numbers: delete it; household data belongs only in the spreadsheet, printed with mingbai cards

## Kinds of files

sniff-xlsx = an Excel workbook (xlsx)
sniff-xlsb = an Excel binary workbook (xlsb)
sniff-ods = an OpenDocument spreadsheet (ods)
sniff-biff = an Excel 97-2003 / WPS spreadsheet workbook (xls/et)
sniff-ole-document = a Word 97-2003 / WPS Writer document (doc/wps)
sniff-encrypted = a password-protected Office file
sniff-zip-document = a Word/PowerPoint document (docx/pptx/odt)
sniff-zip = a zip archive (zip)
sniff-dbf = a dBASE table (dbf)
sniff-pdf = a PDF file
sniff-text = a text file
sniff-binary = a binary file

## Printing household cards (mingbai cards): terminal lines

cards-not-handbook = { $root } is not a handbook folder (it has no site.toml); printing household cards needs the handbook's policies
cards-not-handbook-hint = run inside the handbook folder, or point --root at it; without the handbook's sources, download policies.json from the handbook's site and use --handbook policies.json
cards-handbook-errors = the handbook has errors, and household cards use its policies: fix the errors above first (mingbai check)
cards-reading = reading { $file } ({ $description })
cards-merged-filled = {"  "}merged cells: filled in { $n } cell(s) from their merged areas
cards-skipped-row = row { $row } "{ $text }"
cards-skipped-totals = {"  "}skipped totals rows and footer: { $rows }
cards-duplicate-key = row { $row }: household number "{ $key }" is already in { $file }, row { $first }
cards-not-printed-fix = nothing printed: fix the sheet and try again (or use --skip-bad-rows to print the households without problems first)
cards-skipping-bad-rows = skipping rows with problems in { $file }: row(s) { $rows }
cards-not-printed-nothing-left = nothing printed: no file of this run was left in { $dir }
cards-file-line = {"  "}{ $file }  { $sheets } A4 sheet(s), { $mb } MB
cards-copies = , { $copies } copies each
cards-summary = printed cards for { $households } household(s){ $copies }, { $files } file(s) (about { $kb } KB per card), in { $dir } (readable only by you)
cards-with-back = { $n } household(s) did not fit on one side; their cards continue on the back (print double-sided, flip on the long edge)
cards-dir-unreadable = cannot read the folder { $dir }: { $error }
cards-sheet-open = note: "{ $name }" is still open in Excel/WPS (there is a lock file { $lock }); unsaved changes will not be printed: save and close it first
cards-skipping-not-sheets = skipping files that are not sheets: { $names }
cards-no-sheets = the folder { $dir } holds no sheets (.xlsx .xls .et .ods .csv …)

## Household sheets (households): rows, columns and the header

households-at-cell = row { $row }, "{ $name }" (column { $letter })
households-at-row = row { $row }
households-at = { $at }: { $message }
households-column-near = {" "}(is column { $letter } "{ $header }" meant to be "{ $name }"?)
households-column = "{ $name }"{ $near }
households-column-aliases = "{ $name }" (also called "{ $aliases }"){ $near }
households-aliases-sep = {"\", \""}
households-missing-name-why = ; a sheet with one row per person (it has a "与户主关系" column) needs a "姓名" column with each person's own name; "户主姓名" is only used to cross-check
households-missing-columns = row { $row } is the header, but it lacks the column(s) { $columns }{ $why }
households-description = { $source }, { $layout }
households-per-person = one row per person
households-per-household = one row per household
households-lock-file = "{ $name }" is the temporary lock file Excel/WPS leaves while a sheet is open, not a sheet: the sheet "{ $sheet }" is still open; save and close it, then point --data at the sheet itself
households-file-too-big = the sheet is { $mb } MB, over the limit of { $max } MB: split it into several sheets by township or village
households-encrypted = the workbook has an opening password, and mingbai cannot read it: in Excel/WPS remove the password (File → Info → Protect Workbook) and save a copy
households-not-a-sheet = this file is { $kind }, not a sheet: in Excel/WPS save it as .xlsx or "CSV UTF-8"
households-sheet-in-use = cannot read { $file }: the sheet is in use by Excel/WPS; save and close it first
households-sheet-not-found = sheet not found: { $file }
households-sheet-permission = no permission to read { $file }: check the file's permissions
households-sheet-unreadable = cannot read { $file }: { $error }
households-not-utf8 = line { $line } is not UTF-8 text: the file may be GBK (the default when Excel on Chinese Windows saves CSV); leave out --encoding to let mingbai detect it, or write --encoding gbk
households-bad-bytes = line { $line } holds bytes that cannot be read: the file is neither UTF-8 nor GBK/GB18030; in Excel save it as "CSV UTF-8"
households-csv-row = row { $row } cannot be read: { $error }
households-csv-unclosed-quote = row { $row }, column { $column }: this cell starts with a double quote (") that is never closed, so everything from here to the end of the file would be read as this one cell; delete the quote, or add a closing " at the end of the cell (to write a quote inside a cell, write two: "")
households-text-source = { $format }, { $encoding }
households-too-big = the sheet is too big: over { $rows } rows or { $cells } cells; split it into several sheets by township or village, or delete unneeded columns
households-workbook-damaged = the workbook cannot be opened ({ $kind }): the file may be damaged or only half downloaded; open it in Excel/WPS, save it as .xlsx and try again ({ $error })
households-workbook-source = { $kind }, worksheet "{ $name }"
households-no-such-worksheet = there is no worksheet named "{ $name }"; the workbook has: { $names }
households-no-worksheets = the workbook has no worksheets
households-workbook-corrupt = the workbook cannot be opened: the file may be damaged ({ $error })
households-workbook-inflated = the workbook unpacks to more than { $max } MB (the file is only { $mb } MB): that is not a normal register and may be a damaged or malicious file; open it in Excel/WPS, save a copy and try again
households-quoted-char = "{ $ch }" (U+{ $code })
households-no-font = { $chars } in "{ $text }": no font can print it; add a font that has it to fonts under [print] in site.toml, or install one on this computer
households-empty = must not be empty
households-id-repeated = the ID number repeats row { $first }
households-not-a-kind = "{ $text }" is not a household type: it should be one of { $kinds }
households-size-date = this cell is formatted as a date, and Excel took the number of people for a date: set the column's format to "General" and enter the number again
households-size-too-big = "{ $n }" does not look like a household size (over { $max } people): if the column is formatted as a date, Excel stores counts as numbers like this; set it to "General" and enter the number again
households-size-not-number = "{ $text }" is not a positive whole number
households-policy-near = the handbook has no policy called "{ $name }"; did you mean "{ $suggestion }"?
households-policy-ambiguous = "{ $name }" names both "{ $titles }": write the policy's full name
households-titles-sep = {"\" and \""}
households-policy-unknown = the handbook has no policy "{ $name }"; the card prints it as the sheet has it (without the policy's explanation or phone number){ $why }
households-policy-unknown-strict = ; not allowed with --strict: add it to the handbook, or change it to a policy name from the handbook
households-policy-unknown-alias = ; if it is another name of a policy in the handbook, add it to that policy's aliases
households-key-repeated = household number "{ $key }" repeats row { $first }
households-no-head = no row of household number "{ $key }" is the "户主"
households-two-heads = household number "{ $key }" has more than one "户主"
households-head-mismatch = "{ $stated }" does not match this household's head (row { $row }, name "{ $head }"): check whether this row was filled in under the wrong household
households-id-scientific = Excel took the ID number "{ $raw }" for a number (scientific notation), and its last digits are lost. Set the column's format to "Text", enter these numbers again from the ID cards, and export again
households-id-length = the ID number has { $n } characters; it should have 18
households-id-chars = the ID number holds characters other than digits and X
households-id-check = the check digit of the ID number (the one starting { $start }) is wrong: from the first 17 digits the last should be { $expected }; check the ID card
households-char-nul = NUL character
households-char-esc = ESC control character
households-char-zwsp = zero-width space
households-char-bom = zero-width no-break space (BOM)
households-char-control = control character
households-char-named = U+{ $code } ({ $what })
households-invisible = holds an invisible { $chars } that cannot be printed: in Excel/WPS clear this cell and type it again
households-phone-empty = the phone number is empty
households-phone-bad = "{ $phone }" does not look like a phone number: a mobile number has 11 digits starting with 1, a landline needs its area code (such as 0718-662 0607)
households-handbook-unreadable = cannot read { $file }: { $error }
households-handbook-not-list = { $file } is not a policy list published by mingbai (line { $line }, column { $column }: { $error }): download { $name } from the handbook's site and do not change it
households-handbook-format = { $file } is in the format "{ $format }", and this version of mingbai reads "{ $expected }": download { $name } from the handbook's site again, or update mingbai
households-progress-unit = households
households-progress-laying-out = laying out
households-progress-writing = writing
households-card-failed = the card of row { $row } (household number { $key }) cannot be laid out: { $message }
households-template-error = template error
households-write-failed = cannot write { $file }: { $error }
households-report-header = {"  "}the header is row { $row }; each field is taken from:
households-report-column = column { $letter } "{ $header }"
households-report-home-phone = {" "}(the household's phone, not printed on the card)
households-report-field = {"    "}{ $field } ← { $from }{ $note }
households-report-column-near = column { $letter } "{ $header }" (is it meant to be "{ $known }"?)
households-report-unused = {"    "}columns not used: { $columns }
households-no-header = no header row found: none of the first 30 rows names columns such as "户编号", "户主姓名", "身份证号"

## References to policy figures (figures)

figures-no-policy = there is no policy called "{ $policy }"
figures-no-policy-near = did you mean "{ $suggestion }"? Before the dot write the policy's title, alias or id
figures-no-policy-hint = before the dot write the policy's title, alias (aliases) or id, for example {"{{"}小额信贷.max{"}}"}
figures-no-policy-unread = if it is the policy in { $files }: that file could not be read this time (see its error); fix it first
figures-no-figure = the policy "{ $title }" has no figure named "{ $name }"
figures-did-you-mean = did you mean "{ $suggestion }"?
figures-none-defined = "{ $title }" defines no figures yet: add [figures] to its front matter, for example { $name } = "5万元"
figures-known = its figures are: { $names }
figures-unclosed = figure reference error: "{"{{"}" is not followed by "{"}}"}"
figures-unclosed-hint = a figure reference is written {"{{"}policy name.figure name{"}}"}, for example {"{{"}小额信贷.max{"}}"}, with two braces on each side
figures-which-policy = "{"{{"}{ $inner }{"}}"}" does not say which policy's figure it is
figures-which-policy-hint = write {"{{"}policy name.{ $name }{"}}"}, for example {"{{"}小额信贷.{ $name }{"}}"}
figures-which-policy-faq-hint = this question cites several policies: write {"{{"}policy name.{ $name }{"}}"}, for example {"{{"}{ $title }.{ $name }{"}}"}
figures-error = figure reference error: { $message }
figures-none-here = no policy figures are available here
figures-policy-key-hint = set policy to the title, alias or id of a policy that has [figures]
figures-no-policy-with-figures = there is no policy called "{ $policy }" that defines figures; { $hint }
figures-no-figure-hint = the policy "{ $policy }" has no figure named "{ $name }"; { $hint }
figures-kind-money = amount
figures-kind-term = term
figures-kind-age = age
figures-kind-share = share
figures-kind-count = number
figures-definition = { $name } = "{ $value }" ({ $location })
figures-disagree = figures disagree: this sentence says the { $kind } of "{ $title }" is "{ $written }", but the figures the policy defines are { $defs }
figures-disagree-hint = check and make them agree: if this is wrong, change it to {"{{"}{ $title }.{ $name }{"}}"} (it will then follow the policy's figure); if the policy's standard changed, change [figures] in { $file }; if the sentence means another number, do not write it in one sentence with the policy's name
