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
typo-unquoted-text = 文字要加引号：{ $key } = "{ $value }"

## 设置的值

toml-invalid = 设置的写法不对：{ $message }
toml-invalid-hint = 文字要加英文双引号（title = "…"），列表要加方括号（tags = ["教育"]），日期直接写（effective = 2025-03-01）
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
build-printed = 已排印 { $cards } 张明白卡（print/cards.pdf，共 { $sheets } 张 A4 纸）
build-printed-handbook = 已排印 { $cards } 张明白卡（print/cards.pdf，共 { $sheets } 张 A4 纸）和 { $pages } 页的手册
build-card-back = 有 { $n } 张明白卡正面放不下，接着印在背面：{ $ids }
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
