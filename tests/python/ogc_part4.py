#!/usr/bin/env python3
"""Drives OneMap's OGC API - Features Part 4 as a desktop GIS script would.

OWSLib (Debian's python3-owslib) reads: the conformance classes, a feature, a filtered page.
OWSLib 0.27 has no create/replace/update/delete methods, so the writes go through requests (the
HTTP library OWSLib itself uses), with the same bearer token.

Usage: ogc_part4.py BASE_URL TOKEN   (BASE_URL ends in /ogc)
Creates land parcels OWS-A and OWS-B, replaces then updates OWS-A, checks that a stale If-Match
is refused with 412, deletes OWS-B, and prints one JSON line: the OWSLib version and OWS-A's id.
"""
import json
import sys

import owslib
import requests
from owslib.ogcapi.features import Features

PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"


def check(cond, what):
    if not cond:
        sys.exit("ogc_part4.py: " + what)


def square(lon, lat, d):
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def main():
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    auth = {"Authorization": "Bearer " + token}
    api = Features(base, headers=dict(auth))
    conf = api.conformance()["conformsTo"]
    check(PART4 + "create-replace-delete" in conf and PART4 + "update" in conf, "Part 4 not declared: %s" % conf)

    items = base + "/collections/land/items"
    geo = dict(auth, **{"Content-Type": "application/geo+json"})
    ids = {}
    for code, lon in (("OWS-A", 114.372), ("OWS-B", 114.375)):
        feature = {"type": "Feature", "geometry": square(lon, 29.892, 0.001), "properties": {
            "code": code, "name": "OWSLib " + code, "stage": "idle", "mode": "lease", "land_status": "approved_unsupplied"}}
        r = requests.post(items, json=feature, headers=geo, timeout=30)
        check(r.status_code == 201, "POST %s: %d %s" % (code, r.status_code, r.text))
        check(r.headers.get("Location", "").startswith(items + "/"), "POST without Location: %s" % r.headers)
        ids[code] = r.headers["Location"].rsplit("/", 1)[1]

    a = ids["OWS-A"]
    read = api.collection_item("land", a)
    check(read["properties"]["code"] == "OWS-A", "OWSLib read back %s" % read)
    etag = requests.get(items + "/" + a, headers=auth, timeout=30).headers["ETag"]

    # Replace: what was read, renamed, with its geometry, at the version read.
    read.pop("links", None)
    read["properties"]["name"] = "OWSLib 改名"
    r = requests.put(items + "/" + a, data=json.dumps(read), headers=dict(geo, **{"If-Match": etag}), timeout=30)
    check(r.status_code == 200, "PUT: %d %s" % (r.status_code, r.text))
    replaced = r.headers["ETag"]

    # Update: a JSON merge patch of one property, at the version the replace answered.
    patch = dict(auth, **{"Content-Type": "application/merge-patch+json", "If-Match": replaced})
    r = requests.patch(items + "/" + a, json={"properties": {"stage": "planned"}}, headers=patch, timeout=30)
    check(r.status_code == 200, "PATCH: %d %s" % (r.status_code, r.text))

    # The version read before the replace is stale now.
    stale = dict(patch, **{"If-Match": etag})
    r = requests.patch(items + "/" + a, json={"properties": {"stage": "done"}}, headers=stale, timeout=30)
    check(r.status_code == 412, "PATCH with a stale If-Match: %d %s" % (r.status_code, r.text))

    r = requests.delete(items + "/" + ids["OWS-B"], headers=auth, timeout=30)
    check(r.status_code == 204, "DELETE: %d %s" % (r.status_code, r.text))

    page = api.collection_items("land", filter="code LIKE 'OWS-%'")
    got = {f["properties"]["code"]: f["properties"] for f in page["features"]}
    check(list(got) == ["OWS-A"], "after the delete OWSLib lists %s" % list(got))
    check(got["OWS-A"]["name"] == "OWSLib 改名" and got["OWS-A"]["stage"] == "planned", "OWS-A reads %s" % got["OWS-A"])
    print(json.dumps({"owslib": owslib.__version__, "id": a}))


if __name__ == "__main__":
    main()
