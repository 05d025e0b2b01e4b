#!/usr/bin/env python3
"""Deterministic Chinese policy-handbook corpus for static-site-generator benchmarks.

gen_corpus.py --pages N --out DIR [--seed S] [--format zola|hugo|mdbook|mingbai|all]

Layouts written (with --format all, each in its own subdirectory of DIR):
  zola/   config.toml, content/<sec>/_index.md + pages, templates/{base,index,section,page,
          taxonomy_list,taxonomy_single}.html
  hugo/   hugo.toml, content/<sec>/_index.md + pages, layouts/_default/{baseof,list,single,
          taxonomy,term}.html
  mingbai/ site.toml, content/<sec>/_index.md + policy entries in mingbai's content model
          (docs/content-model.md); the theme is mingbai's own default theme
  mdbook/ book.toml, src/SUMMARY.md, src/<sec>/README.md + chapters (front matter stripped)
With a single --format, the layout is written directly into DIR.

Page bodies are identical across formats except for internal links, which use each
tool's native form (Zola: @/sec/p0001.md, Hugo: /sec/p0001/, mdBook: ../sec/p0001.md),
and Hugo front matter, which carries the taxonomy at top level (`category = [...]`)
because Hugo does not read Zola's `[taxonomies]` table.  Standard library only.
"""
import argparse
import os
import random
import re
import shutil

SECTIONS = [
    ("jiaoyu", "教育扶贫", "县教育体育局", "教"),
    ("jiankang", "健康扶贫", "县卫生健康局", "卫"),
    ("zhufang", "住房安全保障", "县住房和城乡建设局", "建"),
    ("yinshui", "饮水安全", "县水务局", "水"),
    ("chanye", "产业扶贫", "县农业农村局", "农"),
    ("jiuye", "就业扶贫", "县人力资源和社会保障局", "人社"),
    ("xindai", "扶贫小额信贷", "县乡村振兴局", "振"),
    ("banqian", "易地扶贫搬迁", "县发展和改革局", "发改"),
    ("doudi", "兜底保障", "县民政局", "民"),
    ("jiance", "防止返贫监测帮扶", "县乡村振兴局", "振"),
]

TOPICS = {
    "教育扶贫": ["学前教育资助", "义务教育营养改善计划", "寄宿生生活补助", "普通高中国家助学金", "中职免学费",
              "雨露计划", "生源地信用助学贷款", "大学新生入学资助", "控辍保学", "送教上门"],
    "健康扶贫": ["基本医疗保险参保资助", "大病保险倾斜", "医疗救助", "先诊疗后付费", "一站式结算",
              "家庭医生签约服务", "慢性病门诊报销", "县域内住院报销", "重特大疾病救助", "残疾人康复救助"],
    "住房安全保障": ["农村危房改造", "住房安全等级鉴定", "抗震改造", "周转房保障", "改造补助标准",
                "竣工验收", "C级危房加固", "D级危房拆除重建", "过渡期住房监测", "农房质量安全"],
    "饮水安全": ["农村供水工程维修养护", "水质检测", "集中供水", "分散供水", "水费收缴",
             "供水保障应急预案", "饮水安全评价标准", "小型水利工程管护", "人饮工程巩固提升", "水源地保护"],
    "产业扶贫": ["特色种植补助", "养殖业奖补", "农业保险保费补贴", "龙头企业带动", "合作社利益联结",
             "庭院经济", "消费帮扶", "产业技术培训", "到户产业奖补", "光伏收益分配"],
    "就业扶贫": ["外出务工交通补助", "公益性岗位", "就业帮扶车间", "技能培训补贴", "稳岗补贴",
             "劳务输出奖补", "创业担保贷款", "乡村保洁员岗位", "职业技能提升", "以工代赈"],
    "扶贫小额信贷": ["贷款对象", "贷款额度", "贷款期限", "财政贴息", "风险补偿金",
                "续贷展期", "逾期处置", "户贷户用户还", "信用评级", "贷后管理"],
    "易地扶贫搬迁": ["安置区后续扶持", "搬迁群众就业", "社区治理", "旧房拆除复垦", "安置住房产权办理",
                "搬迁户子女入学", "配套设施建设", "迁入地社保衔接", "搬迁补助标准", "融入适应"],
    "兜底保障": ["农村最低生活保障", "特困人员救助供养", "临时救助", "残疾人两项补贴", "孤儿基本生活费",
             "事实无人抚养儿童保障", "高龄津贴", "低保渐退", "单人户施保", "救助申请审批"],
    "防止返贫监测帮扶": ["监测对象识别", "监测范围", "农户自主申报", "部门筛查预警", "基层干部排查",
                  "风险消除标准", "帮扶措施落实", "动态清零", "监测信息系统", "常态化帮扶"],
}

TOWNS = ["城关镇", "青龙镇", "白马乡", "石门乡", "河口镇", "松林乡", "大坪镇", "龙潭乡", "新华镇", "柳溪乡",
         "安宁镇", "清水乡"]
GROUPS = ["脱贫户", "监测对象", "低保户", "特困供养人员", "残疾人家庭", "易地搬迁户", "边缘易致贫户",
          "突发严重困难户", "留守儿童家庭", "独居老人"]
VERBS = ["落实", "统筹", "压实", "健全", "完善", "规范", "加强", "推进", "巩固", "强化"]
OBJS = ["工作责任", "资金监管", "政策宣传", "信息共享", "动态管理", "台账管理", "档案资料", "监督检查",
        "绩效评价", "公示公告"]
SENT_TEMPLATES = [
    "各乡镇要{v}{o}，确保{g}应享尽享，不漏一户、不落一人。",
    "对符合条件的{g}，由村民委员会受理申请，经乡镇人民政府审核后报{issuer}审批。",
    "{town}应当在每季度末将{topic}落实情况报送县级主管部门，并同步录入全国防止返贫监测信息系统。",
    "补助资金实行专账管理、专款专用，任何单位和个人不得截留、挤占、挪用。",
    "申请人应如实提供家庭收入、财产及人口等相关材料，对弄虚作假的，依法追回已发放资金。",
    "{issuer}会同财政部门按照“谁主管、谁负责”的原则，{v}{o}。",
    "村级公示期不少于七天，公示无异议后方可进入下一环节；有异议的，由乡镇组织复核。",
    "过渡期内保持主要帮扶政策总体稳定，逐项分类优化调整，合理把握节奏、力度和时限。",
    "对{g}中因病、因残、因灾等原因出现返贫致贫风险的，要第一时间落实帮扶措施。",
    "{topic}的受理、审核、审批和资金发放全过程纳入阳光政务平台，接受社会监督。",
    "各级帮扶干部要定期入户走访，及时掌握{g}的“两不愁三保障”及饮水安全情况。",
    "资金发放原则上通过“一卡通”直接兑付到户，严禁以现金形式发放。",
    "对工作推进不力、群众反映强烈的乡镇，县级将进行约谈并通报批评。",
    "本办法执行中如遇上级政策调整，按上级最新规定执行。",
    "{town}要建立健全{topic}工作台账，做到底数清、情况明、措施实。",
    "鼓励社会力量通过捐赠、志愿服务等方式参与{topic}，形成政府、市场、社会协同推进的格局。",
]
HEADINGS = ["一、政策依据", "二、适用对象", "三、补助标准", "四、申请条件", "五、办理流程", "六、所需材料",
            "七、资金管理", "八、监督检查", "九、常见问题", "十、联系方式"]
PROCESS = ["本人或委托他人向村民委员会提出书面申请", "村“两委”组织入户核查并召开评议会", "村级公示七天",
           "乡镇人民政府审核并抽查", "县级主管部门审批", "资金通过“一卡通”发放到户", "建立档案并动态管理"]
MATERIALS = ["居民身份证及户口簿复印件", "家庭收入情况说明", "村民委员会出具的证明", "银行“一卡通”账号",
             "相关票据或诊断证明", "申请书（按统一格式填写）", "家庭成员劳动能力鉴定材料", "承诺书"]

CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def cjk_len(s):
    return len(CJK_RE.findall(s))


def build_model(n, seed):
    """Return list of page dicts (format independent)."""
    per = [n // len(SECTIONS) + (1 if i < n % len(SECTIONS) else 0) for i in range(len(SECTIONS))]
    pages = []
    for si, (slug, name, issuer, abbr) in enumerate(SECTIONS):
        for k in range(per[si]):
            rng = random.Random(f"{seed}:{slug}:{k}")
            topic = TOPICS[name][k % 10]
            year = 2019 + (k * 7 + si) % 6
            town = rng.choice(TOWNS)
            title = f"{town}{topic}实施细则（{year}年第{k // 10 + 1}号）" if k >= 10 else f"{topic}政策解读"
            cats = [name]
            other = rng.choice([s[1] for s in SECTIONS if s[1] != name])
            if rng.random() < 0.5:
                cats.append(other)
            if rng.random() < 0.3:
                cats.append("过渡期政策")
            pages.append(dict(sec=slug, secname=name, k=k, file=f"p{k + 1:04d}", title=title, topic=topic,
                              town=town, issuer=issuer, abbr=abbr, year=year, rng=rng, cats=cats,
                              date=f"{year}-{(k % 12) + 1:02d}-{(k * 3) % 28 + 1:02d}", weight=k + 1))
    return pages


def body_for(p, pages, link):
    """Markdown body. link(page) -> URL string for that tool."""
    rng = p["rng"]
    rng.seed(f"body:{p['sec']}:{p['k']}")
    target = rng.randint(1500, 3600)  # last block may overshoot; keeps pages <= ~4000
    ctx = dict(issuer=p["issuer"], town=p["town"], topic=p["topic"])

    def sent():
        return rng.choice(SENT_TEMPLATES).format(v=rng.choice(VERBS), o=rng.choice(OBJS),
                                                 g=rng.choice(GROUPS), **ctx)

    def para(nmin=3, nmax=6):
        return "".join(sent() for _ in range(rng.randint(nmin, nmax)))

    out = [f"为深入贯彻落实巩固拓展脱贫攻坚成果同乡村振兴有效衔接的决策部署，进一步做好**{p['topic']}**工作，"
           f"结合本县实际，制定本细则。{para(2, 4)}", ""]
    amount = rng.choice([500, 800, 1000, 1500, 2000, 2500, 3000, 5000])
    secs = list(HEADINGS)
    hi = 0
    n_cjk, mark = 0, 0
    while True:
        h = secs[hi % len(secs)] if hi < len(secs) else f"{hi + 1}、补充说明"
        out.append(f"## {h}")
        out.append("")
        kind = hi % 5
        if kind == 0:
            out.append(para())
            out.append("")
            out.append(f"### （一）{rng.choice(OBJS)}")
            out.append("")
            out.append(para(2, 4))
        elif kind == 1:
            for g in rng.sample(GROUPS, 4):
                out.append(f"- **{g}**：{sent()}")
            out.append("")
            out.append(para(1, 3))
        elif kind == 2:
            out.append("| 补助项目 | 补助对象 | 补助标准（元） | 发放方式 |")
            out.append("| --- | --- | ---: | --- |")
            for _ in range(rng.randint(3, 6)):
                out.append(f"| {rng.choice(TOPICS[p['secname']])} | {rng.choice(GROUPS)} | "
                           f"{amount * rng.randint(1, 4)} | {rng.choice(['按年发放', '按学期发放', '一次性补助', '按月发放'])} |")
            out.append("")
            out.append(para(1, 3))
        elif kind == 3:
            for i, step in enumerate(rng.sample(PROCESS, 5), 1):
                out.append(f"{i}. {step}；")
            out.append("")
            out.append("所需材料：")
            out.append("")
            for m in rng.sample(MATERIALS, 4):
                out.append(f"- {m}")
            out.append("")
        else:
            refs = rng.sample(pages, min(3, len(pages)))
            out.append(para(2, 4))
            out.append("")
            out.append("相关政策：" + "、".join(f"[{r['title']}]({link(r)})" for r in refs) + "。")
        out.append("")
        hi += 1
        n_cjk += cjk_len("\n".join(out[mark:]))
        mark = len(out)
        if n_cjk >= target:
            break
    out.append(f"> 咨询电话：{phone(p)}（工作日 9:00–17:00）。本细则由{p['issuer']}负责解释。")
    out.append("")
    return "\n".join(out), amount


def phone(p):
    return f"0871-{6000000 + (hash_s(p['sec']) % 900) * 1000 + p['k'] % 1000:07d}"


def hash_s(s):
    return sum((i + 1) * ord(c) for i, c in enumerate(s))


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(p, amount, hugo):
    cats = "[" + ", ".join(toml_str(c) for c in p["cats"]) + "]"
    lines = ["+++", f"title = {toml_str(p['title'])}", f"date = {p['date']}", f"weight = {p['weight']}"]
    if hugo:
        lines.append(f"category = {cats}")
    else:
        lines += ["", "[taxonomies]", f"category = {cats}"]
    lines += ["", "[extra]", f"issuer = {toml_str(p['issuer'])}",
              f"doc_number = {toml_str(p['abbr'] + '发〔' + str(p['year']) + '〕' + str(p['k'] + 1) + '号')}",
              f"amount = {toml_str('每人每年' + str(amount) + '元')}",
              f"eligibility = {toml_str('、'.join(p['cats']) + '相关的' + '、'.join(GROUPS[:3]))}",
              f"phone = {toml_str(phone(p))}", "+++", ""]
    return "\n".join(lines)


def mingbai_front_matter(p, amount):
    """Front matter in mingbai's content model (see shared/content-model.md): a policy entry."""
    q = toml_str
    doc = p['abbr'] + '发〔' + str(p['year']) + '〕' + str(p['k'] + 1) + '号'
    return "\n".join([
        "+++", f"title = {q(p['title'])}",
        f"summary = {q(p['topic'] + '：符合条件的' + GROUPS[0] + '每人每年可享受' + str(amount) + '元。')}",
        f"issuer = {q(p['issuer'])}", f"basis = [{q('《' + p['topic'] + '实施办法》（' + doc + '）')}]",
        f"targets = {q('、'.join(GROUPS[:3]))}", f"amount = {q('每人每年' + str(amount) + '元')}",
        f"conditions = [{q('具有本县户籍')}, {q('经村级评议公示无异议')}]",
        f"steps = [{q('本人向村委会申请')}, {q('乡镇审核')}, {q(p['issuer'] + '审批')}, {q('资金打卡发放')}]",
        f"office = {q(p['town'] + '便民服务中心')}", f"phone = {q(phone(p))}",
        f"effective = {p['date']}", f"reviewed = {p['date']}", f"weight = {p['weight']}",
        "tags = [" + ", ".join(q(c) for c in p["cats"]) + "]", "+++", ""])


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------- templates
ZOLA_CONFIG = """base_url = "https://example.org"
title = "某县巩固拓展脱贫攻坚成果政策汇编"
default_language = "zh"
compile_sass = false
build_search_index = false
taxonomies = [{ name = "category" }]
"""

ZOLA_T = {
    "base.html": """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head>
<body><header><a href="{{ config.base_url }}">{{ config.title }}</a></header>{% block content %}{% endblock %}</body></html>
""",
    "index.html": """{% extends "base.html" %}{% block content %}<h1>{{ config.title }}</h1><ul>
{% for s in section.subsections %}{% set sec = get_section(path=s, metadata_only=true) %}<li><a href="{{ sec.permalink }}">{{ sec.title }}</a></li>
{% endfor %}</ul>{% endblock %}
""",
    "section.html": """{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}{% block content %}<h1>{{ section.title }}</h1>
{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
""",
    "page.html": """{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block content %}
<article><h1>{{ page.title }}</h1>
<p class="meta">{{ page.date }} · {{ page.extra.issuer }} · {{ page.extra.doc_number }} · {{ page.word_count }} 字 · 约 {{ page.reading_time }} 分钟</p>
<p class="cats">{% for c in page.taxonomies.category %}<a href="{{ get_taxonomy_url(kind="category", name=c) }}">{{ c }}</a> {% endfor %}</p>
{{ page.content | safe }}</article>
{% set sec = get_section(path=page.ancestors | last, metadata_only=true) %}<nav><a href="{{ sec.permalink }}">{{ sec.title }}</a>
{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}</nav>{% endblock %}
""",
    "taxonomy_list.html": """{% extends "base.html" %}{% block content %}<h1>{{ taxonomy.name }}</h1><ul>
{% for t in terms %}<li><a href="{{ t.permalink }}">{{ t.name }}</a> ({{ t.pages | length }})</li>{% endfor %}</ul>{% endblock %}
""",
    "taxonomy_single.html": """{% extends "base.html" %}{% block content %}<h1>{{ term.name }}</h1><ul>
{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
""",
}

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "某县巩固拓展脱贫攻坚成果政策汇编"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
hasCJKLanguage = true
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]

[taxonomies]
category = "category"
"""

HUGO_T = {
    "baseof.html": """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title></head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>{{ block "main" . }}{{ end }}</body></html>
""",
    "list.html": """{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "single.html": """{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}
<article><h1>{{ .Title }}</h1>
<p class="meta">{{ .Date.Format "2006-01-02" }} · {{ .Params.extra.issuer }} · {{ .Params.extra.doc_number }} · {{ .WordCount }} 字 · 约 {{ .ReadingTime }} 分钟</p>
<p class="cats">{{ range .GetTerms "category" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}</article>
<nav>{{ with .CurrentSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}

MINGBAI_SITE = """title = "某县巩固拓展脱贫攻坚成果政策汇编"
region = "某县"
base_url = "https://example.org"
hotlines = [{ name = "监督举报电话", phone = "12317" }]
"""

MDBOOK_TOML = """[book]
title = "某县巩固拓展脱贫攻坚成果政策汇编"
authors = ["bench"]
language = "zh"
src = "src"

[output.html]
[output.html.search]
enable = true
"""


def section_intro(slug, name, issuer):
    return f"本栏目汇编{name}相关政策文件，由{issuer}牵头负责。各乡镇、各部门应认真学习、严格执行。\n"


def emit(fmt, pages, out):
    if os.path.exists(out):
        shutil.rmtree(out)
    by_sec = {}
    for p in pages:
        by_sec.setdefault(p["sec"], []).append(p)
    if fmt == "zola":
        write(os.path.join(out, "config.toml"), ZOLA_CONFIG)
        for name, t in ZOLA_T.items():
            write(os.path.join(out, "templates", name), t)
        write(os.path.join(out, "content", "_index.md"), '+++\ntitle = "首页"\n+++\n')
        link = lambda r: f"@/{r['sec']}/{r['file']}.md"
    elif fmt == "hugo":
        write(os.path.join(out, "hugo.toml"), HUGO_CONFIG)
        for name, t in HUGO_T.items():
            write(os.path.join(out, "layouts", "_default", name), t)
        write(os.path.join(out, "content", "_index.md"), '+++\ntitle = "首页"\n+++\n')
        link = lambda r: f"/{r['sec']}/{r['file']}/"
    elif fmt == "mingbai":
        write(os.path.join(out, "site.toml"), MINGBAI_SITE)
        write(os.path.join(out, "content", "_index.md"), '+++\ntitle = "首页"\n+++\n')
        link = lambda r: f"@/{r['sec']}/{r['file']}.md"
    else:
        write(os.path.join(out, "book.toml"), MDBOOK_TOML)
        link = lambda r: f"../{r['sec']}/{r['file']}.md"
    summary = ["# 目录", ""]
    for slug, name, issuer, _ in SECTIONS:
        sp = by_sec.get(slug, [])
        if fmt in ("zola", "hugo", "mingbai"):
            sort = 'sort_by = "weight"\n' if fmt == "zola" else ""
            write(os.path.join(out, "content", slug, "_index.md"),
                  f'+++\ntitle = "{name}"\n{sort}weight = {[s[0] for s in SECTIONS].index(slug) + 1}\n+++\n\n'
                  + section_intro(slug, name, issuer))
        else:
            write(os.path.join(out, "src", slug, "README.md"), f"# {name}\n\n" + section_intro(slug, name, issuer))
            summary.append(f"- [{name}]({slug}/README.md)")
        for p in sp:
            body, amount = body_for(p, pages, link)
            if fmt == "mdbook":
                write(os.path.join(out, "src", slug, p["file"] + ".md"), f"# {p['title']}\n\n" + body)
                summary.append(f"  - [{p['title']}]({slug}/{p['file']}.md)")
            elif fmt == "mingbai":
                write(os.path.join(out, "content", slug, p["file"] + ".md"),
                      mingbai_front_matter(p, amount) + "\n" + body)
            else:
                write(os.path.join(out, "content", slug, p["file"] + ".md"),
                      front_matter(p, amount, fmt == "hugo") + "\n" + body)
    if fmt == "mdbook":
        write(os.path.join(out, "src", "SUMMARY.md"), "\n".join(summary) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["zola", "hugo", "mdbook", "mingbai", "all"], default="all")
    a = ap.parse_args()
    pages = build_model(a.pages, a.seed)
    fmts = ["zola", "hugo", "mdbook", "mingbai"] if a.format == "all" else [a.format]
    for f in fmts:
        emit(f, pages, os.path.join(a.out, f) if a.format == "all" else a.out)
    print(f"wrote {len(pages)} pages x {len(fmts)} format(s) to {a.out}")


if __name__ == "__main__":
    main()
