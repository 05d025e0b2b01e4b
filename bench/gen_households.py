#!/usr/bin/env python3
"""A sheet of N fictional households for the household-card benchmark.

    python3 bench/gen_households.py 10000 /tmp/hh10k.csv [--villages 20]

One row per household, UTF-8 CSV, the columns of docs/households.md; policy names
are titles, aliases and ids of the sample handbook; ID numbers carry valid GB 11643
check digits. Deterministic (seeded). Standard library only.
"""
import argparse
import csv
import random

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "德明桂兰志刚秀英建国春燕小军红梅永福国庆文华玉兰光辉丽娟海燕金花宏伟淑珍家豪雨欣子涵浩然思远堃喆"
TOWNS = ["青禾镇", "石门乡", "柳溪镇", "白云乡"]
VILLAGE_NAMES = "桃源 白沙 云岭 新湾 河口 松林 石桥 杨柳 清泉 黄土 双河 梨花 枫树 高坪 长岭 龙潭 凤凰 金竹 柏树 竹园 东岳 西坡 南冲 北山".split()
KINDS = ["脱贫户"] * 6 + ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "一般农户"]
RISKS = ["", "", "因病", "因残", "因学", "缺劳力", "因灾", "因病、缺劳力", "因意外事故"]
POLICIES = ["雨露计划(3000元)", "两免贷款(50000元)", "jiaoyu/mianfei", "医疗救助", "先诊疗后付费", "家庭医生",
            "残疾人两项补贴(1680元)", "低保", "到户产业奖补(2000元)", "农业保险", "临时救助(2000元)",
            "危房改造(20000元)", "营养餐", "医保资助", "特困供养", "防贫保险", "助学贷款", "慢特病", "创业贷款"]
RELATIONS = ["配偶", "之子", "之女", "之母", "之父", "之孙子", "之孙女"]


def gb11643(first17):
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, W)) % 11]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--villages", type=int, default=20)
    a = ap.parse_args()
    rnd = random.Random(1)
    villages = [(TOWNS[i % len(TOWNS)], VILLAGE_NAMES[i % len(VILLAGE_NAMES)] + "村" + ("" if i < len(VILLAGE_NAMES) else str(i)))
                for i in range(a.villages)]
    header = ["户编号", "乡镇", "村", "组", "户主姓名", "身份证号", "家庭人口", "户类型", "风险类型", "帮扶责任人",
              "帮扶责任人电话", "驻村工作队长", "工作队电话", "享受政策", "帮扶措施", "备注"]
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        seen = set()
        for i in range(a.n):
            town, village = villages[i % len(villages)]
            name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice([1, 2])))
            while True:  # ID numbers are unique, as in life
                birth = f"{rnd.randint(1940, 2000)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
                pid = gb11643(f"421123{birth}{rnd.randint(0, 999):03d}")
                if pid not in seen:
                    seen.add(pid)
                    break
            helper = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
            policies = "；".join(rnd.sample(POLICIES, rnd.randint(1, 4)))
            w.writerow([f"QH{i:06d}", town, village, f"{rnd.randint(1, 8)}组", name, pid, rnd.randint(1, 7),
                        rnd.choice(KINDS), rnd.choice(RISKS), helper, f"13{rnd.randint(0, 9)}0718{rnd.randint(0, 9999):04d}",
                        "刘志强", "13907180001", policies, rnd.choice(["", "发展产业", "安排公益岗", "外出务工就业帮扶"]), ""])


if __name__ == "__main__":
    main()
