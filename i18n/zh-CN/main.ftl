# mingbai 的中文消息（默认语言）。每条消息的 id 必须在 i18n/en/main.ftl 里也有。
# 写法：说清楚哪里错了、怎么改，用编辑能看懂的话，不用术语。

## 诊断的格式

label-error = 错误
label-warning = 警告
label-hint = 提示
tally-errors = { $errors } 个错误
tally-warnings = { $warnings } 个警告
tally-both = { $errors } 个错误，{ $warnings } 个警告
diags-hidden = ……另有 { $hidden } 条问题没有显示：先改正上面这些，再运行一次就会看到其余的
invisible-char = 这里有一个看不见的字符 { $code }（{ $name }），网页和印刷品都无法显示它
invisible-char-hint = 它多半是从别的文档复制来的：删掉它（光标移到这个位置，按一次删除键；看不出来时可以删掉前后的字再重新输入）
invisible-name-bom = 字节顺序标记 BOM，零宽不换行空格
invisible-name-control = 控制字符

## 读文件与编码

file-unreadable = 读不了这个文件：{ $error }
file-not-utf8 = 这个文件不是 UTF-8 编码，也不是 GBK 编码，读不出文字
file-not-utf8-hint = 用记事本打开，另存为，编码选「UTF-8」后保存
file-gbk = 「{ $file }」是 GBK 编码的，已经按 GBK 读取
file-gbk-hint = 建议另存为 UTF-8（记事本：另存为 → 编码选「UTF-8」），别的电脑和软件才不会读成乱码
file-utf16 = 「{ $file }」是 UTF-16 编码的（记事本里叫「Unicode」），已经按 UTF-16 读取

## 头部（+++ 之间的设置）

fm-missing = 缺少头部：条目要以一行 +++ 开头
fm-missing-hint = 条目的第一行是 +++，接着写 title = "…" 这样的设置，再写一行 +++，下面才是正文
fm-yaml-hint = 明白手册的头部用 +++ 包起来（TOML 格式），不是 ---（YAML 格式）：把两行 --- 改成 +++，「title: 标题」改成 title = "标题"
fm-not-closed = 头部没有结束：少了后面那行 +++
fm-not-closed-hint = 在最后一个设置（如 title = "…"）的下一行加一行 +++，再写正文
fm-full-width-fence = 「{ $fence }」是全角加号，请改成半角 +++
fm-full-width-fence-hint = 切换到英文输入法（或按 Shift+空格 切成半角）再输入 +++

## 常见输入错误

typo-cn-quote = 「{ $ch }」是中文引号：设置里的文字要用英文半角双引号 " 括起来
typo-fw-equals = 「{ $ch }」是全角等号，请改成半角 =
typo-cn-comma = 「{ $ch }」是中文标点：列表里的各项要用英文半角逗号 , 隔开
typo-fw-bracket = 「{ $ch }」是全角括号，请改成半角 [ ] 或 {"{"} {"}"}
typo-cn-colon = 「{ $ch }」是中文冒号：设置要写成 名称 = 值，用半角等号
typo-fw-hash = 「{ $ch }」是全角井号，注释要用半角 #
typo-fw-space = 这里有一个全角空格（中文空格），设置里只能用半角空格
typo-fix-line = 改成：{ $line }
typo-unquoted-phone = 电话号码要加引号：{ $key } = "{ $value }"
typo-unquoted-number = 「{ $value }」不是日期也不是数字，要加引号：{ $key } = "{ $value }"
body-fw-heading = 「＃」是全角井号，这一行不会成为小标题：要用半角 #，后面空一格
body-fw-table = 「｜」是全角竖线，这几行不会成为表格：要用半角 |
body-run-together = 这几行在网页和手册上会连成一段：「{ $mark }」不是列表的写法
body-run-together-hint = 改成：{ $line }（列表每项用 - 或 1. 开头，后面空一格）；不是列表的，两行之间空一行
body-spaced-target = 「{ $target }」里有空格，这个{ $what }不会显示，网页上只会出现这一串字：文件名有空格时要加尖括号
body-spaced-target-hint = 把 { $written } 改成：{ $fixed }（或者把文件名里的空格去掉）
body-what-image = 图片
body-what-link = 链接
typo-cn-key = 「{ $name }」要写成英文名 { $key }：头部的字段名只认英文
typo-loose-date = 日期要写成 年-月-日，月和日都写两位，不加引号：{ $key } = { $date }
typo-unquoted-text = 文字要加引号：{ $key } = "{ $value }"

## 设置的值

toml-invalid = 设置的写法不对：{ $message }
toml-invalid-hint = 文字要加英文双引号（title = "…"），列表要加方括号（tags = ["教育"]），日期直接写（effective = 2025-03-01）
toml-why-extra = 这一行在值的后面还有别的内容（几项要放进一个列表：tags = ["兜底", "老年人"]）
toml-why-array-comma = 列表里两项之间少了英文逗号
toml-why-table-comma = 花括号里两项之间少了英文逗号
toml-why-unquoted = 文字没有加英文双引号
toml-why-quotes = 引号没有配对，或者文字里有引号要写成 \"
toml-why-unclosed-array = 列表的 [ 没有对应的 ]
toml-why-unclosed-table = [ 栏目名 ] 的方括号没有配对
toml-why-unclosed-inline = 花括号 {"{"} 没有对应的 {"}"}
toml-why-no-value = 等号后面没有写值
toml-why-no-equals = 名称和值之间少了等号（写成 名称 = 值）
toml-why-key = 等号前的名称只能用英文字母、数字、- 和 _
toml-why-deep = 列表或花括号套得太深
toml-why-duplicate = 同一项写了两次，只留一处
unknown-key = 不认识的字段「{ $key }」
did-you-mean = 是不是「{ $name }」？
known-keys = 这里可以写的字段有：{ $keys }
type-wrong = 「{ $key }」应该是{ $expected }
for-example = 例如：{ $example }
missing-key = 缺少必填的字段「{ $key }」
missing-key-hint = 在头部加一行，例如：{ $example }
value-invisible = 「{ $key }」的值里有一个看不见的字符 { $code }（{ $name }），网页和印刷品都无法显示它
value-invisible-hint = 删掉这个字符（多半是从别的文档复制来的，或写了 \u 转义）
value-empty = 「{ $key }」是空的
value-empty-hint = 把它写上，例如：{ $example }
list-strings-only = 「{ $key }」的列表里只能写文字（每项加引号）
list-tables-only = 「{ $key }」的列表里每一项都要写成 {"{"} 名称 = 值 {"}"}
type-string = 加引号的文字
type-string-list-brackets = 加方括号的列表
type-string-list = 文字的列表
type-real-date = 日历上有的日期
type-date = 不带时间的日期
type-bool = true（是）或 false（否）
type-int = 整数
type-number = 数字
type-number-list = 数字的列表
type-table = 一个 [表]
type-table-list = 表的列表
date-quoted = 「{ $key }」的日期加了引号，就不是日期了
date-quoted-hint = 去掉引号：{ $key } = { $value }
range-between = 应在 { $lo } 到 { $hi }{ $unit }之间
range-out = `{ $key } = { $written }` 不在允许的范围内：{ $key } { $allowed }
range-hint = 改成这个范围里的数，例如 { $example }

## 条目与栏目

content-no-folder = 没有 content 文件夹：手册的条目放在 content/ 里
content-no-folder-hint = 条目的位置是 { $dir }/栏目/条目.md；在手册文件夹（有 site.toml 的那个）里运行 mingbai
content-unreadable = 读不了 content 文件夹：{ $error }
content-no-index = 文件夹 content/{ $section }/ 里有条目，但没有 _index.md（栏目说明）
content-no-index-hint = 新建 content/{ $section }/_index.md，内容写三行：+++、title = "栏目名称"（再加一行 weight = 10 定顺序）、+++
section-sort-by = 栏目里条目的顺序由每个条目的 weight 决定，数字小的排在前面
kind-unknown = 不认识的类型 kind = "{ $kind }"
kind-unknown-hint = kind 只能写 "policy"（政策条目）或 "faq"（问答卡）
kind-name-policy = 政策条目
kind-name-faq = 问答卡
key-of-other-kind = 「{ $key }」是{ $other }的字段，而这个条目是{ $this }：写上 kind = "{ $kind }"，或者把文件移到那一类的栏目里
id-invalid = id "{ $id }" 不能用作网址
id-invalid-hint = id 只能用英文字母、数字、-、_ 和 /，例如 id = "xindai/xiaoe"
file-name-invalid = 文件名「{ $name }」不能用作网址
file-name-invalid-hint = 把文件改成拼音或英文名（如 xiaoe.md），或者在头部写 id = "…"
figure-name-bad = 数字名称「{ $name }」不能用：名称里不能有点号、空格或花括号
figure-name-bad-hint = 换一个简单的名称，例如 max、term 或 最高额度
expires-not-after-effective = 失效日期 { $expires } 不晚于生效日期 { $effective }：政策还没生效就失效了
expires-not-after-effective-hint = 多半是某个日期写错了：expires（失效日期）要晚于 effective（生效日期）

## 检查（check）的提醒

check-expired = 政策「{ $title }」已于 { $date } 失效
check-expired-hint = 网页和明白卡上会标「已失效」；请更新 expires，或删掉这个条目
check-review-old = 政策「{ $title }」上次核对是 { $date }，已经超过 { $months } 个月
check-review-old-hint = 对照最新文件核对一遍，然后更新 reviewed
check-far-future = { $key } = { $date } 比今天（{ $today }）晚了一年多，多半是写错了
check-far-future-hint = 检查年份是否打错（例如 2062 应为 2026），改正 { $key }
check-placeholder-phone = 电话「{ $phone }」是模板里的占位号码，印到明白卡上群众会打不通
check-placeholder-phone-hint = 换成真实的咨询电话，例如 phone = "0736-6623456"
check-faq-no-policy = 问答「{ $title }」没有引用任何政策
check-faq-no-policy-hint = 加一行 policies = ["…"]，读者才能查到回答依据的政策

## 手册设置 site.toml

config-unreadable = 读不了 site.toml：{ $error }
config-unreadable-hint = 请在手册文件夹（有 site.toml 的那个）里运行 mingbai，或者用 --root 指定它；这次找的是 { $root }
config-tag-slug = 标签网址「{ $slug }」不能用作网址
config-tag-slug-hint = 只用小写英文字母、数字和 -，例如 "jiaoyu"
config-show-id-key = 这个设置叫 show_id，例如 show_id = "masked"
config-show-id = show_id = "{ $value }" 不允许
config-show-id-hint = 完整的身份证号从不印出：写 "none"（不印）或 "masked"（只印前 6 位和后 4 位）
config-cards-output = output 要写手册文件夹里的一个文件夹
config-card-size = 卡片尺寸「{ $size }」不是 A5 也不是 A6
config-card-size-hint = card_size = "A6"（一张 A4 纸印 4 张）或 "A5"（印 2 张）
config-expired-cards = 「{ $value }」不是 "mark" 也不是 "skip"
config-expired-cards-hint = expired_cards = "mark" 印出来并标「已失效」；"skip" 不印
config-base-url = base_url 要写完整的网址，以 http:// 或 https:// 开头
config-base-url-hint = 例如 base_url = "https://zwgk.qinghe.gov.cn/mingbai"（二维码、网站地图和订阅都用它）
config-output-dir = output_dir 要写手册文件夹里的一个文件夹名
config-placeholder-url = base_url = "{ $url }" 是示例网址：明白卡上的二维码会指向它，群众扫了打不开
config-placeholder-url-hint = 换成手册网站真正的网址，例如 base_url = "https://zwgk.qinghe.gov.cn/mingbai"

## 链接与图片

link-unresolved = 链接「{ $link }」指向的条目不存在
link-unresolved-hint = 没有 content/{ $target } 这个文件：@/ 后面写从 content/ 算起的路径，例如 @/xindai/xiaoe.md
link-relative-md = 链接「{ $link }」少了 @/：要写成「{ $fixed }」
link-relative-md-hint = 链到别的条目时，地址以 @/ 开头，后面写从 content/ 算起的路径；不加 @/ 的话网页上点了会打不开
link-relative-md-unknown = 链接「{ $link }」指向的条目找不到，网页上点了会打不开
link-relative-md-unknown-hint = 链到别的条目写成 @/栏目文件夹/文件名.md，例如 [小额信贷](@/jinrong/xiaoe.md)

## build 与 check 的结果

build-more-warnings = ……另有 { $n } 条提醒：运行 mingbai check 可以看到全部
build-done = 已生成 { $pages } 个网页和 { $files } 个其他文件（{ $mb } MB），放在 { $output }，用时 { $secs } 秒
build-search-index = 搜索索引：{ $mb } MB，共 { $files } 个文件（浏览器按需分批加载）
build-search-kept = 搜索索引只重新索引了改动过的 { $n } 条，其余沿用上次的索引（缓存在 .mingbai-cache，可以随时删除）
build-printed = 已排印 { $cards } 张明白卡（print/cards.pdf，共 { $sheets } 张 A4 纸）
build-printed-handbook = 已排印 { $cards } 张明白卡（print/cards.pdf，共 { $sheets } 张 A4 纸）和 { $pages } 页的手册
build-card-back = 有 { $n } 张明白卡正面放不下，接着印在背面：{ $ids }
build-cards-reused = 其中 { $n } 张自上次以来没有变化，沿用了上次排好的版面（缓存在 .mingbai-cache，可以随时删除）
build-sheets-copied = print/cards.pdf 有 { $n } 页上的明白卡都没有变化，直接沿用了上次排好的页面
build-chapters-reused = 手册有 { $n } 章自上次以来没有变化，直接沿用了上次排好的页面
build-chapters-resumed = 手册有 { $n } 章只从改动的条目起重新排版，之前的页面沿用上次排好的
build-chapters-rejoined = 手册有 { $n } 章重新排版到页面与上次相同为止，之后的页面沿用上次排好的
strict-fails = 用了 --strict，提醒也按错误处理
build-failed = 生成失败：上一次生成的网站（如果有）原样保留
check-passed = 检查通过：{ $pages } 个网页，没有问题
check-passed-warnings = 检查通过，但有上面这些提醒：{ $pages } 个网页
check-failed-strict = 检查未通过：用了 --strict，提醒也按错误处理
image-missing = 找不到图片「{ $file }」
image-missing-hint = 把图片放在这个位置（和条目放在同一个文件夹里最省事，然后写 ![说明](图片文件名.png)），或者改正图片的文件名
image-missing-static-hint = 以 / 开头的图片要放在手册文件夹的 static/ 里：这里要的是 { $file }
image-unreadable = 图片「{ $file }」打不开：它不是完好的 PNG 或 JPEG 文件
image-unreadable-hint = 用看图软件打开它，另存为 PNG 或 JPEG 后再用
image-phone-format = 图片「{ $file }」是 { $kind } 格式：大多数手机浏览器显示不出来，也印不出来
image-phone-format-hint = 用看图软件（或手机相册的“导出”）把它另存为 JPEG（.jpg），再把这里的文件名改成新的；苹果手机在“设置 → 相机 → 格式”里选“兼容性最佳”，以后拍的照片就是 JPEG
image-large = 图片「{ $file }」有 { $mb } MB、{ $width }×{ $height } 像素，网页上会自动缩小后发布
image-large-hint = 原图留在 content/ 里供印刷用；网页上的图宽度最多 { $max } 像素。手机拍的照片可以先缩小再放进来，手册文件夹会小很多

## 命令行帮助（mingbai --help）

cli-about = 明白：把县里的惠民政策手册生成网站和可打印的明白卡
cli-usage = 用法
cli-commands = 命令
cli-options = 选项
cli-arguments = 参数
cli-help = 显示帮助
cli-version = 显示版本号
cli-build = 生成网站（和印刷用的 PDF），放进输出文件夹
cli-serve = 生成网站并在本机打开预览，每次保存文件都自动更新
cli-watch = 生成网站，之后每次保存文件都重新生成（不开预览）
cli-check = 检查手册里的所有问题（和生成时一样），并提醒过期的内容；不写任何文件
cli-diff = 比较两版手册有哪些变化（修订说明）：每一版是一个手册文件夹，或本手册的一个 git 版本
cli-init = 在 DIR 新建一本手册，带一个政策条目和一个问答卡作样子
cli-cards = 从户信息表格（CSV 或 Excel）打印户明白卡
cli-arg-root = 手册文件夹（有 site.toml 的那个）
cli-arg-output = 网站放在哪里；默认是 site.toml 里 output_dir 指定的文件夹
cli-arg-no-print = 不生成印刷品（明白卡和手册 PDF）
cli-arg-no-search = 不生成搜索索引和搜索页
cli-arg-timings = 显示每一步用了多长时间（读取、网页、搜索、印刷……）
cli-build-large-print = 印大字版明白卡：正文 14 磅以上，A5 卡片，给老年人看（同 site.toml 的 [print] type_size = "large"）
cli-cards-large-print = 印大字版户明白卡：正文 14 磅以上，给老年人看（同 site.toml 的 [print] type_size = "large"）
cli-build-strict = 把提醒（政策过期、很久没核对等）也当作错误
cli-check-strict = 有提醒也算检查不通过（退出码不为 0）
cli-serve-port = 端口号（0：任选一个空闲端口）
cli-serve-bind = 监听的地址；默认只有本机能访问
cli-serve-open = 在浏览器里打开网站
cli-diff-old = 上一版
cli-diff-new = 新的一版（默认：手册文件夹本身）
cli-diff-json = 用 JSON 格式输出比较结果和要重印的卡片
cli-init-dir = 新手册的文件夹
cli-cards-data = 户信息表格（.xlsx .xls .et .ods .csv 等，按内容识别），或一个文件夹：打印里面的每个表格
cli-cards-handbook = 手册发布的政策清单（网站里的 policies.json），没有手册源文件夹时用
cli-cards-village = 只打印这个村（村名，或 乡镇+村）
cli-cards-output = 户明白卡放在哪里；默认是 site.toml 里 [cards] 的 output（print-private/）
cli-cards-single = 所有村合成一个 PDF，而不是每村一个
cli-cards-copies = 每户印几份（一式N份），1 到 10
cli-cards-encoding = 不自动识别时指定 CSV 的编码：utf-8、gbk 或 gb18030
cli-cards-sheet = 读哪个工作表（默认第一个）
cli-cards-skip-bad-rows = 有问题的行先跳过，照常打印其余的户，并列出跳过的行
cli-cards-strict = 手册里没有的政策算错误，不只是提醒

## 新建手册（init）

init-done = 已在 { $dir } 新建一本手册
    下一步：cd { $dir }，然后运行 mingbai serve 预览；记得把 site.toml 里的 base_url 和条目里的电话换成真实的
init-unreadable = 读不了 { $dir }
init-unwritable = 写不了 { $path }
init-not-empty = { $dir } 已经存在，而且里面有东西；init 只新建手册，不会改动已有的文件夹

## 预览（serve）的出错提示

overlay-title = 生成失败：下面这些地方要改正
overlay-note = 页面显示的是上一次成功生成的内容。改好后保存文件，这个页面会自动刷新。
overlay-more = ……另有 { $more } 个错误，请看运行 mingbai 的窗口
cli-default = （默认：{ $value }）
cli-default-here = （默认：当前文件夹）

## 条目之间的检查（id、问答引用的政策、标签）

site-duplicate-id = 两个条目的 id 都是「{ $id }」
site-duplicate-id-hint = { $other } 也用了这个 id；每个条目的 id 不能重复：给其中一个写上别的 id = "…"
site-faq-cites-faq = 「{ $id }」是问答卡，不是政策：policies 里只能写政策
site-faq-unknown-policy = 问答引用的政策「{ $id }」不存在
site-faq-policy-by-name = 「{ $name }」是政策的名称：policies 里要写政策的 id
site-faq-policy-by-name-hint = 改成 "{ $id }"（id 就是 content/ 下的文件路径去掉 .md）
site-faq-policies-hint = policies = ["…"] 里写政策的 id，也就是 content/ 下的文件路径去掉 .md，例如 "xindai/xiaoe"
site-tag-slug-clash = 标签「{ $a }」和「{ $b }」的网址都是「{ $slug }」
site-tag-slug-clash-hint = 在 site.toml 的 [tag_slugs] 里给它们写不同的网址，例如 "{ $b }" = "{ $slug }-2"
ids-collision = 条目 { $file } 的 id「{ $id }」（网址 /{ $id }/）和{ $other }重名：生成网站时一个会覆盖另一个
ids-collision-id-hint = 给这个条目换一个 id（例如在前面加上章节名：id = "jiaoyu/xxx"），或者删掉 id 这一行，用文件路径作网址
ids-collision-file-hint = 给文件换个名字，或者在头部写一个不重名的 id = "…"
ids-section = 章节 content/{ $id }/_index.md{" "}
ids-file = 文件 { $file }{" "}
ids-static = 静态文件 { $file }{" "}
ids-builtin-search = 自带的搜索页 search/
ids-builtin-tags = 自带的标签页 tags/
ids-builtin-print = 印刷文件夹 print/（明白卡和手册 PDF）
ids-builtin-sitemap = 自带的网站地图 sitemap.xml
ids-builtin-atom = 自带的订阅文件 atom.xml
ids-builtin-404 = 自带的“页面不存在”页 404.html
ids-builtin-index = 首页 index.html
ids-builtin-marker = 输出文件夹的标记文件
ids-builtin-manifest = 输出文件夹的文件清单

## 主题与模板

theme-not-found = 找不到主题「{ $name }」
theme-not-found-hint = 把主题放在 { $dir }，或者在 site.toml 里写 theme = "default" 用自带的主题
template-folder-unreadable = 读不了主题里的 { $sub }/ 文件夹：{ $error }
template-not-utf8 = 这个文件不是 UTF-8 编码，读不出文字；模板和样式文件要存成 UTF-8
theme-file-gbk = 这个文件是 GBK 编码的（从「{ $char }」起读不出来）；模板和样式文件要存成 UTF-8
theme-file-utf16 = 这个文件是 UTF-16 编码的（记事本里叫「Unicode」）；模板和样式文件要存成 UTF-8
template-error = 模板有错：{ $message }
template-error-hint = 模板的写法见 https://keats.github.io/tera/docs/ ，模板里能用的内容见 docs/templates.md

## 写出网站

write-build-folder = 不能在 { $dir } 旁边新建生成用的文件夹：{ $error }
write-build-folder-hint = 检查这个位置能不能写入（磁盘满了，或者没有权限）
write-move-site = 不能把新生成的网站移到 { $dir }：{ $error }
write-move-site-hint = 关掉正在打开这个文件夹里文件的程序（浏览器、资源管理器、杀毒软件），再生成一次
write-feeds = 写不了网站地图和订阅文件：{ $error }
write-search-index = 写不了搜索索引：{ $error }
write-file = 写不了 { $file }：{ $error }
write-failed = 写不了 { $error }
output-nul-in-path = 路径里有空字符（NUL）
read-file = 读不了 { $file }：{ $error }
read-static = 读不了 static/ 里的文件：{ $error }

## 预览（serve、watch）的窗口提示

serve-error = 错误：{ $message }
serve-cannot-watch = 不能监视 { $dir } 里的改动：{ $error }
serve-cannot-start = 预览服务启动不了：{ $error }
serve-first-build = 第一次生成用了 { $secs } 秒
serve-serving = 正在预览 { $dir }，地址是 { $url }；保存文件后会自动更新，按 Ctrl-C 结束
serve-listening-all = 注意：监听的地址是 { $addr }，局域网里别的电脑也能看到预览
serve-no-browser = 打不开浏览器：请自己在浏览器里打开 { $url }
serve-watching = 正在监视 { $root }：每次保存都重新生成到 { $out }，按 Ctrl-C 结束
serve-rebuilt = { $time } 重新生成了 { $pages } 个网页，写了 { $files } 个文件{ $removed }，用时 { $ms } 毫秒{ $after }
serve-rebuilt-removed = ，删了 { $n } 个
serve-rebuilt-after = （网页在 { $ms } 毫秒后写好）
serve-build-failed = { $time } 生成失败：预览里仍是上一次成功生成的网站
serve-cards-failed = { $time } 明白卡没有排印
serve-printed = { $time } 已排印 { $cards } 张明白卡和 { $pages } 页手册，用时 { $secs } 秒
serve-print-failed = { $time } 排印失败
serve-port-busy = 端口 { $port } 已被占用（可能另一个 mingbai serve 还开着）：换一个端口，如 mingbai serve --port { $free }
serve-port-busy-none = 端口 { $port } 已被占用：用 --port 换一个端口
serve-cannot-listen = 无法在 { $addr } 上监听：{ $error }
serve-no-page = 404：没有这个网页
serve-bad-request = 请求有误

## 命令的其他提示

timings-heading = 各阶段用时：
cards-unknown-encoding = 不认识的编码「{ $encoding }」：请写 utf-8、gbk 或 gb18030
cards-no-village = 表格里没有「{ $village }」；有：{ $all }
cards-none = 没有可以打印的户

## 排印（print/style.toml 和字体）

style-not-colour = 「{ $value }」不是颜色
style-not-colour-hint = 颜色写成 "#b3261e" 这样（# 加六位十六进制数）
style-size-two = 「{ $key }」要写两个数
style-size-two-hint = size = [105, 148]（宽、高，单位毫米）
style-size-sides = 每边应在 50 到 1200 毫米之间
style-paper-unknown = 不认识的纸张尺寸「{ $name }」
style-paper-unknown-hint = 写 A4、A5、A6、B5，或者 [宽, 高]（单位毫米）
style-margin-count = 页边距要写 1 个、2 个或 4 个数
style-margin-hint = margin = [20, 18, 20, 18]（上、右、下、左，单位毫米）
style-margin-range = 不能是负数，上下合计不能超过 { $v } 毫米、左右合计不能超过 { $h } 毫米（纸张的一半）
style-colour-unknown = 不认识的颜色「{ $value }」
style-colour-unknown-hint = 用 [colors] 里的颜色名，或者写成 "#rrggbb"
style-align-unknown = 不认识的对齐方式「{ $value }」
style-align-unknown-hint = align 只能写 left（左对齐）、justify（两端对齐）、center（居中）或 right（右对齐）
unit-mm = 毫米
unit-pt = 磅
unit-times = 倍
unit-faces = 面
style-missing = 主题里没有 print/style.toml
font-unreadable = 读不了字体文件 { $file }：{ $error }
font-unreadable-hint = site.toml 的 [print] fonts 里写字体文件的位置，从手册文件夹算起
font-theme-unreadable = 读不了主题里的字体：{ $error }
font-not-font = { $name } 不是 mingbai 能读的字体文件
font-none = 没有可以排印的字体
font-none-hint = 主题的 fonts/ 文件夹里至少要有一个常规字体
font-missing-char = 没有哪个字体能印出「{ $char }」（U+{ $code }）
font-missing-char-hint = 在 site.toml 的 [print] fonts 里加一个有这个字的字体，或者在这台电脑上装一个
font-missing-chars = 手册里有字体印不出的字：{ $chars }
font-subset = 字体 { $font } 取子集出错：{ $error }
card-cannot-print = 「{ $title }」的明白卡印不出来：{ $error }
card-no-font = 没有哪个字体能印出 { $chars }
card-footer-too-tall = 卡片底部（二维码、电话）或背面的标题占去了一面的大半，正文放不下
card-block-too-tall = 有一块内容（很长的表格或列表项？）一整面都放不下
card-too-many-faces = 要印 { $n } 面，但一张卡只有 { $max } 面：请把内容写短一些（政策条目也可以写 card = false，不印这张卡）
card-layout-bug = 排版出错（这是 mingbai 的问题，请报告）：「{ $what }」横跨 { $x0 }–{ $x1 } pt，超出了 { $w } pt 宽的卡片
pdf-subset-failed = 错误：{ $error }（PDF 里可能缺字）

## 印刷模板（print/ 里的标记）

markup-error = 印刷模板有错：{ $message }
markup-error-hint = 印刷模板能用的标记见 docs/print.md
markup-too-deep = <{ $tag }> 套在超过 { $max } 层的元素里，印刷排版最多支持 { $max } 层：多半是漏写了结束标签（例如 </row> 或 </box>）
markup-text-outside = 文字「{ $text }」不在段落里：用 <p> 和 </p> 把它括起来
markup-list-item = <{ $tag }> 放在了 <{ $list }> 里：列表里只能放 <li>
markup-fields-item = <{ $tag }> 放在了 <fields> 里：要写成 <field label="…">
markup-field-label = <field> 要写 label="…"
markup-row-item = <{ $tag }> 放在了 <row> 里：<row> 里只能放 <col>
markup-qr-data = <qr> 要写 data="…"（二维码里的网址）
markup-qr-too-long = 二维码里的内容「{ $data }」太长（{ $len } 个字节），一个二维码最多装 { $max } 个：二维码里只放网址，长的文字写在卡片上
markup-qr-too-dense = 二维码里的内容「{ $data }」（{ $len } 个字节）印在 { $size } 毫米见方里太密，每个小方块只有 { $module } 毫米，手机扫不出来：在 <qr> 上写 size="{ $need }"（毫米）把它印大（它所在的 <col> 也要改到这么宽），或者让二维码里的内容短一些
markup-bad-length = <{ $tag }> 的 { $attr }="{ $value }" 不是长度：写毫米数，只写数字，例如 { $attr }="21"
markup-content-unknown = <content> 要的条目「{ $id }」不存在
markup-did-you-mean = （是不是 <{ $name }>？）
markup-unknown = 不认识的标记 <{ $tag }>{ $hint }
markup-table-item = <{ $tag }> 放在了 <table> 里：表格里只能放 <tr>（一行）
markup-tr-item = <{ $tag }> 放在了 <tr> 里：一行里只能放 <td> 或 <th>
markup-block-inline = <{ $tag }> 是一整块内容，不能放在段落里
markup-unknown-inline = 不认识的段落内标记 <{ $tag }>

## 其他检查与排印的出错提示

site-same-policy-name = 两项政策都叫「{ $name }」：{ $at1 } 和 { $at2 }；户明白卡的表格写「{ $name }」时就分不清是哪一项
site-same-policy-name-hint = 把其中一项的标题或别名（aliases）改成不同的名称
output-refused-arg = --output { $dir }：{ $why }
output-refused-arg-hint = 给 --output 换一个新的或空的文件夹（例如 --output public），不要用放着手册、文档或其他文件的文件夹
output-refused-config = site.toml 的 output_dir = "{ $dir }"：{ $why }
output-refused-config-hint = 把 output_dir 改成一个只放网站的新文件夹，例如 output_dir = "public"
edition-in = （版本「{ $spec }」）{ $message }
edition-no-git = 找不到 git 命令（{ $error }）
edition-not-found = 找不到上一版「{ $rev }」：它既不是手册文件夹（里面要有 site.toml），也不是这个仓库的 git 版本
edition-not-found-hint = 写手册文件夹的路径（如 ../手册2025），或 git 的标签、分支、提交号（如 v2025）；git 说：{ $why }
edition-export = 不能把上一版「{ $rev }」取出到临时文件夹 { $dir }：{ $error }
edition-no-site-toml = 这个版本里没有 site.toml
print-card-margin = site.toml 的 card_size = "{ $size }"（{ $w }×{ $h } 毫米）和 print/style.toml 的 [card] margin 合不上：页边距上下合计 { $v } 毫米、左右合计 { $hz } 毫米，超过了这种卡片的一半
print-card-margin-hint = 把 print/style.toml 的 [card] margin 改小（例如 margin = 6），或者换回原来的卡片尺寸
handbook-chapter-unread = 手册的一章没能照上次生成时的记录接着排
handbook-chapter-unread-hint = 删掉网站文件夹里的 .mingbai-cache 文件夹（里面只有可以重新算出的记录），再生成一次
handbook-too-tall = 手册里有一块内容比一页还高，排不进 handbook.pdf 的页面
handbook-too-tall-hint = 多半是一个很长的表格（拆成几个），或者 print/style.toml 里的字号、行距、页边距或 [page] text_scale 设得太大（改小一些）
handbook-image = 手册里的图片「{ $addr }」印不出来：{ $why }
handbook-image-hint = 把图片文件（.png 或 .jpg）放在这篇条目的 .md 文件旁边，写 ![说明](文件名.png)；或放在 static/ 下，写 ![说明](/img/文件名.png)。文件名要和这里写的一字不差
handbook-image-file-hint = 用看图软件打开这张图片，另存为 JPEG（.jpg）或 PNG（.png），再把这里的文件名改成新的
image-web = 网上的图片印不进手册，请把图片下载下来放进手册文件夹
image-empty-address = 图片地址是空的
image-img-src = <img> 要写图片文件：<img src="/img/logo.png"/>（static/ 下的文件）
image-img-why = <img src="{ $src }">：{ $why }
image-not-found = 找不到这个图片文件
image-file-unreadable = 读不了这个图片文件：{ $error }
image-read-failed = 图片读取出错
image-not-here = 这里不能用图片
image-why-file = { $why }（{ $file }）
image-jpeg-broken = 这个 JPEG 图片文件不完整或已损坏，请重新导出一次
image-jpeg-undecodable = 这个 JPEG 图片解不开（{ $error }），请重新导出一次
image-png-undecodable = 这个 PNG 图片解不开（{ $error }），请重新导出一次
image-format = 只能用 PNG 或 JPEG（.png、.jpg）图片；请把图片另存为这两种格式之一

## 写到哪里（输出文件夹与户明白卡文件夹的检查）

guard-role-root = 手册文件夹
guard-role-content = 内容文件夹 content/
guard-role-static = 静态文件夹 static/
guard-role-templates = 模板文件夹 templates/
guard-role-themes = 主题文件夹 themes/
guard-role-print = 印刷模板文件夹 print/
guard-role-output = 网站输出文件夹
guard-overlap-same = { $what } 就是{ $label }（{ $folder }）
guard-overlap-inside = { $what } 在{ $label }（{ $folder }）里面
guard-overlap-contains = { $what } 包含了{ $label }（{ $folder }）
guard-output-overlap = 输出文件夹 { $conflict }：每次构建会整个替换输出文件夹，会删掉里面原有的文件，所以不能用它
guard-output-not-folder = 输出位置 { $path } 已经是一个文件，不是文件夹：构建会把它换成网站文件夹
guard-output-foreign = 输出文件夹 { $path } 里已经有不是 mingbai 生成的文件（{ $names }）：构建会整个替换这个文件夹，这些文件会被删掉
list-sep = 、
guard-names-more = 等共 { $n } 项
guard-cards-here = 户明白卡不能写到这里：{ $conflict }。卡上是农户的个人信息，放在这里会被发布到网站或被手册读进去
guard-cards-here-hint = 用手册文件夹外的文件夹（如 --output D:/户明白卡），或在 site.toml 的 [cards] 里写 output = "print-private"（默认）

## 不能发布的文件（表格、文档、身份证号）

privacy-file-kind-sheet = 表格
privacy-file = { $file } 是{ $what }，会随网站一起发布，里面可能有农户的个人信息
privacy-file-hint = 户的资料不能放进网站：请把表格和文档移到 content/ 和 static/ 以外（户明白卡用 mingbai cards --data 文件 打印）；要发布的办事指南请转成 PDF
privacy-id = 这里有一个身份证号（{ $start }…），会随网站一起发布
privacy-id-hint = 政策页面不需要身份证号：请删掉它；户的资料只放在表格里，用 mingbai cards 打印

## 文件的种类

sniff-xlsx = Excel 工作簿（xlsx）
sniff-xlsb = Excel 二进制工作簿（xlsb）
sniff-ods = OpenDocument 表格（ods）
sniff-biff = Excel 97-2003 / WPS 表格工作簿（xls/et）
sniff-ole-document = Word 97-2003 / WPS 文字文档（doc/wps）
sniff-encrypted = 设了密码的 Office 文件
sniff-zip-document = Word/PowerPoint 文档（docx/pptx/odt）
sniff-zip = 压缩包（zip）
sniff-dbf = dBASE 数据表（dbf）
sniff-pdf = PDF 文件
sniff-text = 文本文件
sniff-binary = 二进制文件

## 打印户明白卡（mingbai cards）的终端提示

cards-not-handbook = { $root } 不是手册文件夹（没有 site.toml），打印户明白卡需要手册的政策
cards-not-handbook-hint = 在手册文件夹里运行，或用 --root 指向它；没有手册源文件时，从手册网站下载 policies.json，用 --handbook policies.json
cards-handbook-errors = 手册有错误，户明白卡要用手册的政策：请先改正上面的错误（mingbai check）
cards-reading = 读取 { $file }（{ $description }）
cards-merged-filled = {"  "}合并单元格：按合并区域填入了 { $n } 格
cards-skipped-row = 第{ $row }行「{ $text }」
cards-skipped-totals = {"  "}跳过合计行和表尾：{ $rows }
cards-duplicate-key = 第{ $row }行：户编号「{ $key }」在 { $file } 第{ $first }行已经有了
cards-not-printed-fix = 没有打印：请改正表格后再试（或用 --skip-bad-rows 先打印没有问题的户）
cards-skipping-bad-rows = 跳过 { $file } 中有问题的行：第{ $rows }行
cards-not-printed-nothing-left = 没有打印：{ $dir } 里没有留下这次的任何文件
cards-file-line = {"  "}{ $file }  { $sheets } 张 A4，{ $mb } MB
cards-copies = ，一式{ $copies }份
cards-summary = 打印了 { $households } 户的明白卡{ $copies }，共 { $files } 个文件（每张卡约 { $kb } KB），在 { $dir }（仅本人可读）
cards-with-back = { $n } 户的卡片一面印不下，续印在背面（请双面打印，长边翻转）
cards-dir-unreadable = 无法读取文件夹 { $dir }：{ $error }
cards-sheet-open = 注意：「{ $name }」还在 Excel/WPS 里开着（有锁定文件 { $lock }），没保存的修改不会印出来；请先保存并关闭它
cards-skipping-not-sheets = 跳过不是表格的文件：{ $names }
cards-no-sheets = 文件夹 { $dir } 里没有表格（.xlsx .xls .et .ods .csv …）

## 户的表格（households）：行、列与表头

households-at-cell = 第{ $row }行「{ $name }」（{ $letter }列）
households-at-row = 第{ $row }行
households-at = { $at }：{ $message }
households-column-near = （{ $letter }列「{ $header }」是不是「{ $name }」？）
households-column = 「{ $name }」{ $near }
households-column-aliases = 「{ $name }」（也可叫「{ $aliases }」）{ $near }
households-aliases-sep = 」「
households-missing-name-why = ；每人一行的表格（有「与户主关系」列）要用「姓名」列写每个人自己的名字，「户主姓名」只用来核对
households-missing-columns = 第{ $row }行是表头，但缺少{ $columns }列{ $why }
households-description = { $source }，{ $layout }
households-per-person = 每人一行
households-per-household = 每户一行
households-lock-file = 「{ $name }」是 Excel/WPS 打开表格时留下的临时锁定文件，不是表格：表格「{ $sheet }」还开着，请先保存并关闭它，再用 --data 指向表格本身
households-file-too-big = 表格有 { $mb } MB，超过了 { $max } MB 的上限：请按乡镇或村分成几个表格
households-encrypted = 工作簿设了打开密码，mingbai 读不了：请在 Excel/WPS 里「文件 → 信息 → 保护工作簿」取消密码后另存一份
households-not-a-sheet = 这个文件是{ $kind }，不是表格：请用 Excel/WPS 表格另存为 .xlsx 或「CSV UTF-8」
households-sheet-in-use = 无法读取 { $file }：表格正在被 Excel/WPS 使用，请先保存并关闭它
households-sheet-not-found = 找不到表格 { $file }
households-sheet-permission = 没有权限读取 { $file }：请检查文件权限
households-sheet-unreadable = 无法读取 { $file }：{ $error }
households-not-utf8 = 第{ $line }行不是 UTF-8 文字：这个文件可能是 GBK（Excel 在中文 Windows 上另存为 CSV 的默认编码），去掉 --encoding 让 mingbai 自动识别，或写 --encoding gbk
households-bad-bytes = 第{ $line }行有无法识别的字节：文件既不是 UTF-8 也不是 GBK/GB18030；请在 Excel 中另存为「CSV UTF-8」
households-csv-row = 第{ $row }行无法读取：{ $error }
households-csv-unclosed-quote = 第{ $row }行{ $column }列：这一格以英文双引号「"」开头，却没有配对的结束引号，表格从这里到文件末尾都会被当成这一格。删去这个引号，或在这一格的末尾补上一个「"」（格子里要写引号，就写两个：""）
households-text-source = { $format }，{ $encoding }
households-too-big = 表格太大：超过 { $rows } 行或 { $cells } 个单元格；请按乡镇或村分成几个表格，或删去多余的列
households-workbook-damaged = 工作簿打不开（{ $kind }）：文件可能已损坏，或只下载了一半；请用 Excel/WPS 打开后另存为 .xlsx 再试（{ $error }）
households-workbook-source = { $kind }，工作表「{ $name }」
households-no-such-worksheet = 没有名为「{ $name }」的工作表；工作簿里有：{ $names }
households-no-worksheets = 工作簿里没有工作表
households-workbook-corrupt = 工作簿打不开：文件可能已损坏（{ $error }）
households-workbook-inflated = 工作簿解压后超过 { $max } MB（文件只有 { $mb } MB）：这不像正常的台账，可能是损坏或恶意的文件；请用 Excel/WPS 打开后另存一份再试
households-quoted-char = 「{ $ch }」(U+{ $code })
households-no-font = 「{ $text }」中的{ $chars }没有字体能打印：在 site.toml 的 [print] fonts 里加一个有这个字的字体，或在本机安装
households-empty = 不能为空
households-id-repeated = 身份证号与第{ $first }行重复
households-not-a-kind = 「{ $text }」不是户类型：应为{ $kinds }之一
households-size-date = 这一格是日期格式，人数被 Excel 当成了日期：请把这一列设为「常规」格式，再重新输入人数
households-size-too-big = 「{ $n }」不像家庭人口（超过 { $max } 人）：这一列如果设成了日期格式，Excel 会把人数存成这样的数字；请设为「常规」格式后重新输入
households-size-not-number = 「{ $text }」不是正整数
households-policy-near = 手册里没有叫「{ $name }」的政策，是不是「{ $suggestion }」？
households-policy-ambiguous = 「{ $name }」同时是「{ $titles }」的名称，请写完整的政策名称
households-titles-sep = 」和「
households-policy-unknown = 手册里没有「{ $name }」这项政策，卡上照表格原样印出（没有政策说明和咨询电话）{ $why }
households-policy-unknown-strict = ；--strict 下不允许：请把它加进手册，或改成手册里的政策名称
households-policy-unknown-alias = ；如果它是手册里某项政策的别称，请把它加到那项政策的 aliases 里
households-key-repeated = 户编号「{ $key }」与第{ $first }行重复
households-no-head = 户编号「{ $key }」的各行里没有「户主」
households-two-heads = 户编号「{ $key }」有不止一个「户主」
households-head-mismatch = 「{ $stated }」与本户户主（第{ $row }行，姓名「{ $head }」）不一致：请核对这一行是不是填错了户
households-id-scientific = 身份证号「{ $raw }」被 Excel 当成了数字（科学计数法），后几位已经丢失。请把这一列设为「文本」格式，再按身份证原件重新录入这些号码后导出
households-id-length = 身份证号有 { $n } 位，应为 18 位
households-id-chars = 身份证号含有数字和 X 以外的字符
households-id-check = 身份证号（{ $start }开头的那个）校验位不对：按前 17 位计算，最后一位应为 { $expected }，请核对身份证原件
households-char-nul = 空字符
households-char-esc = ESC 控制符
households-char-zwsp = 零宽空格
households-char-bom = 零宽不换行空格（BOM）
households-char-control = 控制字符
households-char-named = U+{ $code }（{ $what }）
households-invisible = 含有看不见的{ $chars }，打印不出来：请在 Excel/WPS 里清空这一格后重新输入
households-phone-empty = 电话为空
households-phone-bad = 「{ $phone }」不像电话号码：手机是 1 开头的 11 位数，座机要带区号（如 0718-662 0607）
households-handbook-unreadable = 无法读取 { $file }：{ $error }
households-handbook-not-list = { $file } 不是 mingbai 发布的政策清单（第{ $line }行第{ $column }列：{ $error }）：请从手册网站下载 { $name }，不要修改它
households-handbook-format = { $file } 是「{ $format }」格式，这个版本的 mingbai 读的是「{ $expected }」：请从手册网站重新下载 { $name }，或更新 mingbai
households-progress-unit = 户
households-progress-laying-out = 排版
households-progress-writing = 写入
households-card-failed = 第{ $row }行（户编号 { $key }）的明白卡无法排版：{ $message }
households-template-error = 模板错误
households-write-failed = 无法写入 { $file }：{ $error }
households-report-header = {"  "}表头在第{ $row }行，各项取自：
households-report-column = { $letter }列「{ $header }」
households-report-home-phone = （户的电话，不印在卡上）
households-report-field = {"    "}{ $field } ← { $from }{ $note }
households-report-column-near = { $letter }列「{ $header }」（是不是「{ $known }」？）
households-report-unused = {"    "}没有用到的列：{ $columns }
households-no-header = 找不到表头行：前30行里没有一行写着「户编号」「户主姓名」「身份证号」等列名

## 政策数字（figures）的引用

figures-no-policy = 没有叫「{ $policy }」的政策
figures-no-policy-near = 是不是「{ $suggestion }」？点号前面写政策的标题、别名或编号
figures-no-policy-hint = 点号前面写政策的标题、别名（aliases）或编号，例如 {"{{"}小额信贷.max{"}}"}
figures-no-policy-unread = 如果它是 { $files } 里的政策：那个文件这次读不出来（见它的错误），先把它改好
figures-no-figure = 政策「{ $title }」没有名为「{ $name }」的数字
figures-did-you-mean = 是不是「{ $suggestion }」？
figures-none-defined = 「{ $title }」还没有定义数字：在它的 front matter 里加 [figures]，例如 { $name } = "5万元"
figures-known = 它有的数字是：{ $names }
figures-unclosed = 数字引用错误：「{"{{"}」后面没有「{"}}"}」
figures-unclosed-hint = 数字引用写成 {"{{"}政策名称.数字名称{"}}"}，例如 {"{{"}小额信贷.max{"}}"}，两边各两个花括号
figures-which-policy = 「{"{{"}{ $inner }{"}}"}」没有说是哪项政策的数字
figures-which-policy-hint = 写成 {"{{"}政策名称.{ $name }{"}}"}，例如 {"{{"}小额信贷.{ $name }{"}}"}
figures-which-policy-faq-hint = 这条问答引用了几项政策，请写成 {"{{"}政策名称.{ $name }{"}}"}，例如 {"{{"}{ $title }.{ $name }{"}}"}
figures-error = 数字引用错误：{ $message }
figures-none-here = 这里没有政策数字可用
figures-policy-key-hint = policy 写有 [figures] 的政策的标题、别名或编号
figures-no-policy-with-figures = 没有叫「{ $policy }」且定义了数字的政策；{ $hint }
figures-no-figure-hint = 政策「{ $policy }」没有名为「{ $name }」的数字；{ $hint }
figures-kind-money = 金额
figures-kind-term = 期限
figures-kind-age = 年龄
figures-kind-share = 比例
figures-kind-count = 数量
figures-definition = { $name } = 「{ $value }」（{ $location }）
figures-disagree = 口径不一致：这句话说「{ $title }」的{ $kind }是「{ $written }」，但政策定义的数字是 { $defs }
figures-disagree-hint = 核对后改成一致：这里写错了就改成 {"{{"}{ $title }.{ $name }{"}}"}（以后会自动跟着政策的数字走）；政策标准变了就改 { $file } 的 [figures]；这句话说的若是别的数，就不要和政策名称写在同一句
