#!/usr/bin/env python3
"""In-browser search time and bytes: opens a search page with ?q=… in headless Chromium
over the DevTools protocol (real time, no virtual clock, cache off), waits for the
result count, and reports what the page measured from the query to the first results
on screen, and the bytes the query downloaded (search engine script and index files,
gzip'd at level 6 as a server would send them; files already compressed, as
Pagefind's, counted as they are).

search_latency.py --url http://127.0.0.1:18080/search/ --root public --query 小额信贷 \
    [--url2 http://127.0.0.1:18080/pf.html --name2 Pagefind] [--reps 3]
The page must show "找到约 N 条（S 秒）" or "没有找到" in #search-status.
Needs: chromium, and the Python package websocket-client.
"""
import argparse, gzip, json, os, re, statistics, subprocess, tempfile, time, urllib.parse, urllib.request

import websocket

TEXT = (".js", ".css", ".json", ".html", ".svg")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--root", required=True, help="the folder the server serves")
    ap.add_argument("--query", action="append", required=True)
    ap.add_argument("--url2")
    ap.add_argument("--name2", default="other")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--log", help="the server's request log (python3 -m http.server's stderr): "
                    "requests from workers, which DevTools does not show the page, are counted too")
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
        urls = []

        def call(method, **params):
            n[0] += 1
            ws.send(json.dumps({"id": n[0], "method": method, "params": params}))
            while True:
                m = json.loads(ws.recv())
                if m.get("method") == "Network.responseReceived":
                    urls.append(m["params"]["response"]["url"])
                if m.get("id") == n[0]:
                    return m.get("result", {})

        def size(url):
            path = urllib.parse.urlparse(url).path
            f = os.path.join(a.root, urllib.parse.unquote(path).lstrip("/"))
            if path.endswith("/") or not os.path.isfile(f):
                return 0
            data = open(f, "rb").read()
            return len(gzip.compress(data, 6)) if f.endswith(TEXT) else len(data)

        def measure(base, q):
            times, found, kbs = [], "", []
            for _ in range(a.reps):
                urls.clear()
                # A worker's fetches (Pagefind's) ignore the page's cache switch: start
                # every run from an empty cache.
                call("Network.clearBrowserCache")
                at = os.path.getsize(a.log) if a.log else 0
                call("Page.navigate", url=base + "?q=" + urllib.parse.quote(q))
                for _ in range(3000):
                    r = call("Runtime.evaluate", expression="document.getElementById('search-status').textContent")
                    text = r.get("result", {}).get("value", "") or ""
                    if "秒" in text or "没有找到" in text:
                        break
                    time.sleep(0.02)
                m = re.search(r"找到约 (\d+) 条（([\d.]+) 秒）", text)
                found = m.group(1) if m else "0"
                if m:
                    times.append(float(m.group(2)) * 1000)
                if a.log:
                    time.sleep(0.2)
                    with open(a.log, "rb") as f:
                        f.seek(at)
                        urls[:] = re.findall(r'"GET (\S+) HTTP', f.read().decode("utf-8", "replace"))
                # What the query needed: everything but the page and its style sheet.
                kbs.append(sum(size(u) for u in set(urls)
                               if not u.split("?")[0].endswith((".html", "/", ".css", "site.js", "favicon.svg"))) / 1000)
            return found, (statistics.median(times) if times else float("nan")), max(kbs)

        call("Network.enable")
        call("Network.setCacheDisabled", cacheDisabled=True)
        if a.url2:
            print(f"| query | mingbai results | {a.name2} results | mingbai time (ms) | {a.name2} time (ms) "
                  f"| mingbai KB gzip'd | {a.name2} KB |")
            print("|---|---:|---:|---:|---:|---:|---:|")
        else:
            print("| query | results | time, median of %d (ms) | KB gzip'd |" % a.reps)
            print("|---|---:|---:|---:|")
        for q in a.query:
            f1, t1, b1 = measure(a.url, q)
            if a.url2:
                f2, t2, b2 = measure(a.url2, q)
                print(f"| {q} | {f1} | {f2} | {t1:.0f} | {t2:.0f} | {b1:.0f} | {b2:.0f} |", flush=True)
            else:
                print(f"| {q} | {f1} | {t1:.0f} | {b1:.0f} |", flush=True)
    finally:
        chrome.kill()


if __name__ == "__main__":
    main()
