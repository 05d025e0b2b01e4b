//! What county editors (not programmers) run into, each as a fixture under
//! tests/fixtures/editors/ laid over a small good handbook (`base`): the message must
//! name the mistake in Chinese (or English when the locale asks), at file:line:col,
//! with the right exit code. Images on the web, and what `check --strict` flags.

mod common;
use common::*;

use std::path::Path;
use std::process::Output;

/// The base handbook with `case` laid over it (None: the base alone).
fn handbook(case: Option<&str>) -> tempfile::TempDir {
    let dir = site("editors/base");
    if let Some(case) = case {
        copy_tree(&fixtures().join("editors").join(case), dir.path());
    }
    dir
}

/// mingbai `args` in `root`, in `lang` ("zh-CN" or "en") whatever the machine's locale.
fn run(root: &Path, lang: &str, args: &[&str]) -> Output {
    common::run(
        command()
            .args(args)
            .current_dir(root)
            .env("MINGBAI_TODAY", "2026-11-22")
            .env("MINGBAI_LANG", lang),
    )
}

/// `check` in `root`, in `lang`: exit code 1 and the stderr (`what` names the case).
fn check_fails_in(root: &Path, lang: &str, what: &str) -> String {
    let o = run(root, lang, &["check"]);
    let e = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{what} ({lang}) should fail:\n{e}"
    );
    e
}

/// `check` of `case` in `lang`: exit code 1 and the stderr.
fn check_fails(case: &str, lang: &str) -> String {
    let dir = handbook(Some(case));
    check_fails_in(dir.path(), lang, case)
}

fn has(e: &str, needles: &[&str]) {
    for n in needles {
        assert!(e.contains(n), "missing {n:?} in:\n{e}");
    }
}

#[test]
fn the_base_handbook_passes_strict() {
    let dir = handbook(None);
    let o = run(dir.path(), "zh-CN", &["check", "--strict"]);
    common::assert_ok(&o);
    has(&stderr(&o), &["检查通过：", "没有问题"]);
}

#[test]
fn full_width_fence() {
    let e = check_fails("full-width-fence", "zh-CN");
    has(
        &e,
        &[
            "错误: 「＋＋＋」是全角加号，请改成半角 +++",
            "--> content/jinrong/xiaoe.md:1:1",
            "1 个错误",
        ],
    );
    let e = check_fails("full-width-fence", "en");
    has(
        &e,
        &[
            "error: \"＋＋＋\" is written with full-width plus signs; use ASCII +++",
            "--> content/jinrong/xiaoe.md:1:1",
        ],
    );
}

#[test]
fn full_width_quotes() {
    let e = check_fails("full-width-quotes", "zh-CN");
    has(
        &e,
        &[
            "「“」是中文引号",
            "--> content/jinrong/xiaoe.md:9:10",
            "改成：office = \"乡镇便民服务中心\"",
            "1 个错误",
        ],
    );
    assert!(!e.contains("quoted"), "{e}");
    let e = check_fails("full-width-quotes", "en");
    has(
        &e,
        &[
            "\"“\" is a Chinese quotation mark",
            "--> content/jinrong/xiaoe.md:9:10",
            "write: office = \"乡镇便民服务中心\"",
        ],
    );
}

#[test]
fn full_width_equals() {
    let e = check_fails("full-width-equals", "zh-CN");
    has(
        &e,
        &[
            "「＝」是全角等号，请改成半角 =",
            "--> content/jinrong/xiaoe.md:9:8",
            "改成：office = \"乡镇便民服务中心\"",
            "1 个错误",
        ],
    );
    let e = check_fails("full-width-equals", "en");
    has(
        &e,
        &["full-width equals sign", "--> content/jinrong/xiaoe.md:9:8"],
    );
}

#[test]
fn unquoted_phone() {
    let e = check_fails("unquoted-phone", "zh-CN");
    has(
        &e,
        &[
            "电话号码要加引号：phone = \"0736-6623456\"",
            "--> content/jinrong/xiaoe.md:10:9",
            "1 个错误",
        ],
    );
    assert!(!e.contains("date"), "{e}");
    let e = check_fails("unquoted-phone", "en");
    has(
        &e,
        &[
            "phone numbers need quotes: phone = \"0736-6623456\"",
            "--> content/jinrong/xiaoe.md:10:9",
        ],
    );
}

#[test]
fn dates_as_people_write_them() {
    // 2025年3月1日 unquoted; 2026/10/15 quoted. Each gets the line that works, never the
    // advice to quote it (the next run would refuse a quoted date).
    let e = check_fails("dates-as-written", "zh-CN");
    has(
        &e,
        &[
            "日期要写成 年-月-日，月和日都写两位，不加引号：effective = 2025-03-01",
            "--> content/jinrong/xiaoe.md:11:13",
            "1 个错误",
        ],
    );
    let dir = handbook(Some("dates-as-written"));
    let file = dir.path().join("content").join("jinrong").join("xiaoe.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("effective = 2025年3月1日", "effective = 2025-03-01"),
    )
    .unwrap();
    let e = check_fails_in(dir.path(), "zh-CN", "quoted date");
    has(
        &e,
        &[
            "「reviewed」的日期加了引号",
            "--> content/jinrong/xiaoe.md:12:12",
            "去掉引号：reviewed = 2026-10-15",
            "1 个错误",
        ],
    );
    let e = check_fails("dates-as-written", "en");
    has(&e, &["year-month-day", "effective = 2025-03-01"]);
}

#[test]
fn one_full_width_comma_is_one_error() {
    let e = check_fails("full-width-comma", "zh-CN");
    has(
        &e,
        &[
            "「，」是中文标点：列表里的各项要用英文半角逗号 , 隔开",
            "--> content/jinrong/xiaoe.md:13:13",
            "改成：tags = [\"金融\",\"贷款\"]",
            "1 个错误",
        ],
    );
    assert_eq!(e.matches("错误: ").count(), 1, "{e}");
    let e = check_fails("full-width-comma", "en");
    has(&e, &["ASCII commas", "xiaoe.md:13:13", "1 error(s)"]);
}

#[test]
fn markdown_typed_full_width_is_a_located_warning_with_the_line_that_works() {
    // The input method left on, or a list pasted from Word: the page would show the
    // marks and run the lines into one paragraph, and the build said nothing.
    let dir = handbook(None);
    let file = dir.path().join("content").join("jinrong").join("xiaoe.md");
    let mut text = std::fs::read_to_string(&file).unwrap();
    let first = text.lines().count() + 2;
    text.push_str("\n＃＃ 还款方式\n\n• 按季付息\n• 到期还本\n");
    std::fs::write(&file, text).unwrap();
    let o = run(dir.path(), "zh-CN", &["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    has(
        &e,
        &[
            "「＃」是全角井号，这一行不会成为小标题",
            &format!("--> content/jinrong/xiaoe.md:{first}:1"),
            "改成：## 还款方式",
            "这几行在网页和手册上会连成一段：「•」不是列表的写法",
            &format!("--> content/jinrong/xiaoe.md:{}:1", first + 2),
            "改成：- 按季付息",
        ],
    );
    let o = run(dir.path(), "en", &["check", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    has(&stderr(&o), &["full-width hash", "run together"]);
}

/// Each of `cases` (a fixture and the file in it saved in another encoding) checks
/// with the warning `zh` in Chinese (`en` begins the English one, which `--strict`
/// turns into a failure), and its text arrives intact.
fn read_with_a_warning(cases: [(&str, &str); 2], zh: &str, en: &str) {
    for (case, file) in cases {
        let dir = handbook(Some(case));
        let o = run(dir.path(), "zh-CN", &["check"]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{case}:\n{e}");
        has(
            &e,
            &[
                &format!("警告: 「{file}」{zh}"),
                &format!("--> {file}:1:1"),
                "另存为 UTF-8",
            ],
        );
        assert!(!e.contains("handbook folder") && !e.contains("FEFF"), "{e}");
        let o = run(dir.path(), "en", &["check", "--strict"]);
        assert_eq!(o.status.code(), Some(1));
        has(&stderr(&o), &[&format!("warning: \"{file}\" {en}")]);
        let o = run(dir.path(), "zh-CN", &["build", "--no-print"]);
        common::assert_ok(&o);
        let page = read(dir.path(), "public/jinrong/xiaoe/index.html");
        assert!(page.contains("乡镇便民服务中心"), "{case}");
        let home = read(dir.path(), "public/index.html");
        assert!(home.contains("青禾县惠民政策明白手册"), "{case}");
    }
}

#[test]
fn gbk_files_are_read_with_a_warning() {
    read_with_a_warning(
        [
            ("gbk-site", "site.toml"),
            ("gbk-entry", "content/jinrong/xiaoe.md"),
        ],
        "是 GBK 编码的，已经按 GBK 读取",
        "is GBK-encoded; it was read as GBK",
    );
}

/// Notepad's "Unicode" (UTF-16LE) and "Unicode big endian" (UTF-16BE), each with its
/// byte-order mark: read, with a warning that says so.
#[test]
fn utf16_files_are_read_with_a_warning() {
    read_with_a_warning(
        [
            ("utf16-site", "site.toml"),
            ("utf16-entry", "content/jinrong/xiaoe.md"),
        ],
        "是 UTF-16 编码的（记事本里叫「Unicode」），已经按 UTF-16 读取",
        "is UTF-16-encoded (Notepad calls it \"Unicode\"); it was read as UTF-16",
    );
    // A lone surrogate at the start of line 3: the located error, not mojibake.
    let dir = handbook(Some("utf16-entry"));
    let text =
        std::fs::read_to_string(fixtures().join("editors/base/content/jinrong/xiaoe.md")).unwrap();
    let line3 = text.match_indices('\n').nth(1).unwrap().0 + 1;
    let units = (text[..line3].encode_utf16())
        .chain([0xdc00])
        .chain(text[line3..].encode_utf16());
    let bytes: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(units.flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.path().join("content/jinrong/xiaoe.md"), bytes).unwrap();
    let e = check_fails_in(dir.path(), "zh-CN", "a lone surrogate");
    has(&e, &["不是 UTF-8 编码", "--> content/jinrong/xiaoe.md:3:1"]);
}

/// A template or the print style saved as GBK or UTF-16 is an error at the first
/// character UTF-8 cannot read, naming the encoding, never text read with replacement
/// characters; nothing is written.
#[test]
fn theme_files_in_other_encodings_are_located_errors() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let dir = handbook(None);
    // `rel` of the site holding `bytes`: the build fails (in `lang`) with `needles`
    // and writes nothing.
    let fails = |rel: &str, bytes: &[u8], lang: &str, needles: &[&str]| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let o = run(dir.path(), lang, &["build"]);
        assert_eq!(o.status.code(), Some(1), "{rel}");
        has(&stderr(&o), needles);
        assert!(!dir.path().join("public").exists());
    };
    let page = std::fs::read_to_string(theme.join("templates/404.html")).unwrap();
    // 页 (D2 B3 in GBK) happens to be a valid UTF-8 pair; 面 after it is not.
    fails(
        "templates/404.html",
        &encoding_rs::GBK.encode(&page).0,
        "zh-CN",
        &[
            "这个文件是 GBK 编码的（从「面」起读不出来）；模板和样式文件要存成 UTF-8",
            "--> templates/404.html:3:6",
            "编码选「UTF-8」",
        ],
    );
    std::fs::remove_file(dir.path().join("templates/404.html")).unwrap();
    let style = std::fs::read_to_string(theme.join("print/style.toml")).unwrap();
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(style.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    fails(
        "print/style.toml",
        &utf16,
        "en",
        &[
            "this file is UTF-16-encoded (Notepad calls it \"Unicode\")",
            "--> print/style.toml:1:1",
        ],
    );
    fails(
        "print/style.toml",
        &encoding_rs::GBK.encode(&style).0,
        "zh-CN",
        &["这个文件是 GBK 编码的", "--> print/style.toml:"],
    );
}

#[test]
fn byte_order_marks_are_ignored() {
    let dir = handbook(Some("bom"));
    // A template override saved by Notepad, too.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    let mut t = b"\xef\xbb\xbf".to_vec();
    t.extend(std::fs::read(theme).unwrap());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/404.html"), t).unwrap();
    let o = run(dir.path(), "zh-CN", &["check", "--strict"]);
    common::assert_ok(&o);
    let o = run(dir.path(), "zh-CN", &["build"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(!e.contains("FEFF"), "{e}");
    let page = read(dir.path(), "public/404.html");
    assert!(!page.contains('\u{feff}'));
}

#[test]
fn link_without_at_is_an_error_with_the_right_path() {
    let e = check_fails("relative-md-link", "zh-CN");
    has(
        &e,
        &[
            "链接「jinrong/xiaoe.md」少了 @/：要写成「@/jinrong/xiaoe.md」",
            "--> content/wenda/daikuan-diya.md:10:10",
        ],
    );
    let e = check_fails("relative-md-link", "en");
    has(
        &e,
        &[
            "link `jinrong/xiaoe.md` lacks @/: write `@/jinrong/xiaoe.md`",
            "--> content/wenda/daikuan-diya.md:10:10",
        ],
    );
    // build fails on it too: a dead link never ships.
    let dir = handbook(Some("relative-md-link"));
    let o = run(dir.path(), "zh-CN", &["build", "--no-print"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn strict_flags_init_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), "zh-CN", &["init", "hb"]);
    common::assert_ok(&o);
    let root = dir.path().join("hb");
    let o = run(&root, "zh-CN", &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&root, "zh-CN", &["check", "--strict"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    has(
        &e,
        &[
            "base_url = \"https://example.org/handbook\" 是示例网址",
            "--> site.toml:5:12",
            "电话「0000-0000000」是模板里的占位号码",
            "--> content/jinrong/xiaoe.md:10:9",
            "检查未通过：用了 --strict",
        ],
    );
    let o = run(&root, "en", &["check", "--strict"]);
    has(
        &stderr(&o),
        &["is an example address", "is the template's placeholder"],
    );
    // A chapter an editor adds (weight 3) sorts before the FAQ.
    let faq = read(&root, "content/wenda/_index.md");
    assert!(faq.contains("weight = 100"), "{faq}");
}

#[test]
fn strict_flags_dates_in_the_far_future() {
    let dir = handbook(Some("far-future"));
    let o = run(dir.path(), "zh-CN", &["check"]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(dir.path(), "zh-CN", &["check", "--strict"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    has(
        &e,
        &[
            "reviewed = 2062-08-01 比今天（2026-11-22）晚了一年多",
            "--> content/jinrong/xiaoe.md:11:12",
        ],
    );
    let o = run(dir.path(), "en", &["check", "--strict"]);
    has(
        &stderr(&o),
        &["reviewed = 2062-08-01 is more than a year after today"],
    );
}

#[test]
fn expiry_before_start_is_an_error() {
    let e = check_fails("expires-before-effective", "zh-CN");
    has(
        &e,
        &[
            "失效日期 2025-12-31 不晚于生效日期 2026-03-01",
            "--> content/jinrong/xiaoe.md:13:11",
        ],
    );
    assert!(!e.contains("已于"), "{e}");
    let e = check_fails("expires-before-effective", "en");
    has(&e, &["is not after the effective date"]);
}

#[test]
fn help_is_chinese_unless_english_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), "zh-CN", &["--help"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success());
    has(&out, &["用法", "命令", "检查手册里的所有问题", "显示帮助"]);
    assert!(!out.contains("Print help"), "{out}");
    let o = run(dir.path(), "zh-CN", &["check", "--help"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    has(&out, &["有提醒也算检查不通过", "手册文件夹"]);
    let o = common::run(
        command()
            .arg("--help")
            .env_remove("MINGBAI_LANG")
            .env("LANG", "en_US.UTF-8"),
    );
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    has(&out, &["Usage", "Check everything a build checks"]);
}

/// A build that fails on a duplicate id: the error in Chinese by default (no locale
/// variable set at all), in English with `MINGBAI_LANG=en`; the old output stays.
#[test]
fn build_errors_follow_the_locale() {
    let dir = handbook(None);
    let root = dir.path();
    let entry = std::fs::read_to_string(root.join("content/jinrong/xiaoe.md")).unwrap();
    let copy = entry
        .replacen("+++\n", "+++\nid = \"jinrong/xiaoe\"\n", 1)
        .replace("脱贫人口小额信贷", "小额信贷副本")
        .replace("aliases = [\"两免贷款\", \"小额信贷\"]\n", "");
    std::fs::write(root.join("content/jinrong/copy.md"), copy).unwrap();

    let o = common::run(
        command()
            .arg("build")
            .current_dir(root)
            .env("MINGBAI_TODAY", "2026-11-22")
            .env_remove("MINGBAI_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG"),
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    has(
        &e,
        &[
            "错误: 两个条目的 id 都是「jinrong/xiaoe」",
            "--> content/jinrong/copy.md:2:6",
            "content/jinrong/xiaoe.md 也用了这个 id",
            "生成失败",
        ],
    );
    assert!(!e.contains("duplicate id"), "{e}");

    let o = run(root, "en", &["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    has(
        &e,
        &[
            "error: duplicate id `jinrong/xiaoe`",
            "--> content/jinrong/copy.md:2:6",
            "content/jinrong/xiaoe.md has the same id",
        ],
    );
    assert!(!e.contains("两个条目的 id"), "{e}");
    assert!(!root.join("public").exists());
}

// Images.

/// A photo-like JPEG (noise does not compress) of `w`×`h` pixels.
fn photo(w: u32, h: u32) -> Vec<u8> {
    let mut seed = 7u32;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let n = (seed >> 16) as u8;
        image::Rgb([n, (x % 256) as u8 ^ n, (y % 256) as u8])
    });
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
    img.write_with_encoder(enc).unwrap();
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 256) as u8, 80, 160]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The `src` of the first `<img>` in `html`.
fn img_src(html: &str) -> String {
    let at = html.find("<img src=\"").expect("an img") + 10;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

#[test]
fn images_beside_the_entry_and_in_static_are_linked_right() {
    let dir = handbook(None);
    let root = dir.path();
    std::fs::write(root.join("content/jinrong/liucheng.png"), png(300, 200)).unwrap();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::write(root.join("static/img/logo.png"), png(64, 64)).unwrap();
    let md = root.join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        format!("{text}\n![办理流程](liucheng.png)\n\n![](/img/logo.png)\n"),
    )
    .unwrap();
    let o = run(root, "zh-CN", &["build", "--no-print"]);
    common::assert_ok(&o);
    let page = read(root, "public/jinrong/xiaoe/index.html");
    let src = img_src(&page);
    // Relative to the page, so it holds under base_url's path (/mingbai/) and from disk.
    assert_eq!(src, "../../jinrong/liucheng.png", "{page}");
    let page_dir = root.join("public/jinrong/xiaoe");
    assert!(page_dir.join(&src).is_file(), "{src} does not resolve");
    let second = &page[page.find(&src).unwrap() + src.len()..];
    let logo = img_src(second);
    assert_eq!(logo, "../../img/logo.png");
    assert!(page_dir.join(&logo).is_file());
}

#[test]
fn a_missing_image_is_a_located_error() {
    let e = check_fails("image-missing", "zh-CN");
    has(
        &e,
        &[
            "找不到图片「content/jinrong/liucheng.png」",
            "--> content/jinrong/xiaoe.md:20:10",
        ],
    );
    let dir = handbook(Some("image-missing"));
    let o = run(dir.path(), "en", &["build", "--no-print"]);
    assert_eq!(o.status.code(), Some(1));
    has(
        &stderr(&o),
        &[
            "image \"content/jinrong/liucheng.png\" not found",
            "--> content/jinrong/xiaoe.md:20:10",
        ],
    );
}

#[test]
fn a_large_photo_is_warned_about_and_published_at_web_size() {
    let dir = handbook(None);
    let root = dir.path();
    let big = photo(3200, 2400);
    assert!(big.len() > 1_500_000, "{} bytes", big.len());
    std::fs::write(root.join("content/jinrong/zhaopian.jpg"), &big).unwrap();
    let md = root.join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("{text}\n![现场照片](zhaopian.jpg)\n")).unwrap();
    let o = run(root, "zh-CN", &["build", "--no-print"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    let mb = format!("{:.1} MB", big.len() as f64 / 1e6);
    has(
        &e,
        &[
            &format!("图片「content/jinrong/zhaopian.jpg」有 {mb}、3200×2400 像素"),
            "--> content/jinrong/xiaoe.md:20:9",
        ],
    );
    let web = std::fs::read(root.join("public/jinrong/zhaopian.jpg")).unwrap();
    let img = image::load_from_memory(&web).unwrap();
    assert_eq!((img.width(), img.height()), (1600, 1200));
    // A quarter of the pixels; noise (the worst case) keeps it above a real photo's.
    assert!(
        web.len() < big.len() / 3,
        "{} bytes published of {}",
        web.len(),
        big.len()
    );
    // The original stays as it was, for print.
    assert_eq!(
        std::fs::read(root.join("content/jinrong/zhaopian.jpg")).unwrap(),
        big
    );
    let o = run(root, "en", &["check", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    has(
        &stderr(&o),
        &["3200×2400 pixels: it is published scaled down"],
    );
}

/// Line and column (in characters, from 1) of the first `needle` in `text`.
fn place(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the file"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    format!("{line}:{}", text[line_start..at].chars().count() + 1)
}

/// Pictures the site or print cannot take: a phone's HEIC, a scanner's TIFF named
/// .jpg, a damaged JPEG, and a WebP (the web shows it, print does not). Each is an
/// error at the place it is written, after a `{{…}}` reference whose value is shorter
/// than it, with the fix, in the editor's language; nothing is published.
#[test]
fn pictures_the_site_or_print_cannot_take_are_located_errors() {
    let dir = handbook(None);
    let root = dir.path();
    let folder = root.join("content/jinrong");
    let files: [(&str, Vec<u8>); 4] = [
        ("huiyi.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec()),
        ("saomiao.jpg", b"II*\0\x08\0\0\0".to_vec()),
        ("posun.jpg", photo(64, 64)[..200].to_vec()),
        ("gongshi.webp", b"RIFF\x24\0\0\0WEBPVP8 \0\0\0\0".to_vec()),
    ];
    for (name, bytes) in &files {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let md = folder.join("xiaoe.md");
    let text = std::fs::read_to_string(&md).unwrap().replacen(
        "tags = [\"金融\"]\n",
        "tags = [\"金融\"]\n[figures]\n\"上限\" = \"5万元\"\n",
        1,
    );
    let pictures = "![评审会](huiyi.heic)\n\n![扫描件](saomiao.jpg)\n\n![入户](posun.jpg)\n\n";
    let text =
        format!("{text}\n最多可贷{{{{上限}}}}，财政贴息。\n\n{pictures}![公示栏](gongshi.webp)\n");
    std::fs::write(&md, &text).unwrap();
    let e = check_fails_in(root, "zh-CN", "pictures");
    has(
        &e,
        &[
            "图片「content/jinrong/huiyi.heic」是 HEIC 格式",
            &format!(
                "--> content/jinrong/xiaoe.md:{}",
                place(&text, "huiyi.heic")
            ),
            "图片「content/jinrong/saomiao.jpg」是 TIFF 格式",
            &format!(
                "--> content/jinrong/xiaoe.md:{}",
                place(&text, "saomiao.jpg")
            ),
            "设置 → 相机 → 格式",
            "图片「content/jinrong/posun.jpg」打不开",
            &format!("--> content/jinrong/xiaoe.md:{}", place(&text, "posun.jpg")),
            "3 个错误",
        ],
    );
    let o = run(root, "en", &["build"]);
    assert_eq!(o.status.code(), Some(1));
    has(
        &stderr(&o),
        &["image \"content/jinrong/huiyi.heic\" is a HEIC file"],
    );
    assert!(!root.join("public").exists());

    // The web shows a WebP; the handbook cannot print it.
    std::fs::write(&md, text.replace(pictures, "")).unwrap();
    let text = std::fs::read_to_string(&md).unwrap();
    let o = run(root, "zh-CN", &["build"]);
    assert_eq!(o.status.code(), Some(1));
    has(
        &stderr(&o),
        &[
            "手册里的图片「gongshi.webp」印不出来：只能用 PNG 或 JPEG",
            &format!("--> content/jinrong/xiaoe.md:{}", place(&text, "![公示栏")),
            "另存为 JPEG（.jpg）或 PNG（.png）",
        ],
    );
    assert!(!root.join("public").exists());
}

/// A theme or a print font site.toml names that is not there: the error points at the
/// setting, not at the top of the file.
#[test]
fn a_missing_theme_or_font_is_shown_at_its_setting() {
    let dir = handbook(None);
    let root = dir.path();
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let with = |extra: &str| std::fs::write(root.join("site.toml"), format!("{toml}{extra}"));
    with("theme = \"qinghe\"\n").unwrap();
    let e = check_fails_in(root, "zh-CN", "theme");
    has(&e, &["找不到主题「qinghe」", "--> site.toml:8:9", "themes"]);

    with("\n[print]\nfonts = [\"fonts/方正楷体.ttf\"]\n").unwrap();
    let o = run(root, "en", &["build"]);
    assert_eq!(o.status.code(), Some(1));
    has(&stderr(&o), &["方正楷体.ttf", "--> site.toml:10:9"]);
    assert!(!root.join("public").exists());
}

/// A card that cannot fit its two faces says so in the editor's language, with the fix.
#[test]
fn a_card_too_long_for_its_faces_is_named_in_the_locale() {
    let dir = handbook(None);
    let entry = dir.path().join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    let many: Vec<String> = (1..=40)
        .map(|i| format!("\"第{i}条：申请人须按乡镇要求提交家庭收入证明和生产经营计划\""))
        .collect();
    let long = format!("conditions = [{}]", many.join(", "));
    let text = text.replace(
        "conditions = [\"家庭有劳动能力\", \"信用评级合格\", \"贷款用于发展生产和开展经营\"]",
        &long,
    );
    std::fs::write(&entry, text).unwrap();
    let o = run(dir.path(), "zh-CN", &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    has(
        &stderr(&o),
        &[
            "「脱贫人口小额信贷」的明白卡印不出来",
            "但一张卡只有 2 面：请把内容写短一些",
            "card = false",
            "content/jinrong/xiaoe.md",
        ],
    );
    let o = run(dir.path(), "en", &["build"]);
    has(
        &stderr(&o),
        &["faces but a card has 2: shorten its content"],
    );
}
