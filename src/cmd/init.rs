//! `mingbai init DIR`: a new handbook that builds at once, with one policy entry and
//! one FAQ entry to copy from. The default theme is built into mingbai, so the new
//! folder holds only content; `templates/` is there for overrides.

use std::path::Path;

use anyhow::{Context, bail};

const SITE: &str = r#"# 手册设置（字段说明见 mingbai 的 README 与 docs/content-model.md）
title = "某某县惠民政策明白手册"
region = "某某县"
# 换成手册网站的真实网址：明白卡上的二维码指向它（check --strict 会提醒）
base_url = "https://example.org/handbook"
hotlines = [
  { name = "全国农业农村政策咨询及监督举报电话", phone = "12317" },
]
"#;

const HOME: &str = r#"+++
title = "首页"
+++

本手册汇编本县巩固拓展脱贫攻坚成果的主要惠民政策。每项政策都写明补助对象、补助标准、
办理流程和咨询电话，可以直接打印成明白卡。
"#;

const POLICY_SECTION: &str = r#"+++
title = "金融帮扶"
weight = 1
kind = "policy"
+++

脱贫户和监测对象发展生产、务工创业需要资金的，可以申请下面的贷款支持。
"#;

const POLICY: &str = r#"+++
title = "脱贫人口小额信贷"
summary = "脱贫户、监测户发展生产可申请5万元以下、3年以内的免担保免抵押贷款，财政贴息。"
issuer = "县乡村振兴局"
targets = "有贷款意愿、有就业创业潜质和还款能力的脱贫户、监测户"
amount = "5万元以下，期限3年以内，按贷款市场报价利率放贷，财政全额贴息"
conditions = ["家庭有劳动能力", "信用评级合格", "贷款用于发展生产和开展经营"]
steps = ["向村委会提出申请", "乡镇审核", "银行调查放贷", "按季申请贴息"]
office = "乡镇便民服务中心"
phone = "0000-0000000"  # 换成真实的咨询电话
aliases = ["两免贷款", "小额信贷"]
tags = ["金融"]
+++

## 政策要点

贷款“免担保、免抵押”，只能用于发展生产和开展经营，不能用于建房、治病、子女上学等。
"#;

const FAQ_SECTION: &str = r#"+++
title = "常见问题"
# 100：排在编辑以后新加的栏目（weight 1、2、3……）后面
weight = 100
kind = "faq"
+++
"#;

const FAQ: &str = r#"+++
title = "贷款5万元要不要抵押？"
answer = "不要。脱贫人口小额信贷免担保、免抵押，按时还款还有财政贴息。"
policies = ["jinrong/xiaoe"]
tags = ["金融"]
+++

申请时带上身份证和户口簿，到村委会填写申请表即可。
"#;

pub(crate) fn run(dir: &Path) -> anyhow::Result<i32> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .with_context(|| tr!("init-unreadable", dir = dir.display()))?
            .next()
            .is_some()
    {
        bail!(tr!("init-not-empty", dir = dir.display()));
    }
    let files: [(&str, &str); 6] = [
        ("site.toml", SITE),
        ("content/_index.md", HOME),
        ("content/jinrong/_index.md", POLICY_SECTION),
        ("content/jinrong/xiaoe.md", POLICY),
        ("content/wenda/_index.md", FAQ_SECTION),
        ("content/wenda/daikuan-diya.md", FAQ),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
        std::fs::write(&path, text)
            .with_context(|| tr!("init-unwritable", path = path.display()))?;
    }
    std::fs::create_dir_all(dir.join("templates"))?;
    std::fs::create_dir_all(dir.join("static"))?;
    eprintln!("{}", tr!("init-done", dir = dir.display()));
    Ok(0)
}
