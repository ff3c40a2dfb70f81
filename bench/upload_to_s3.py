"""Copies a local bucket directory (spec §1.9) into an S3-compatible store, metadata
included, so validators that only read S3 (the aws CLI) can read a trail written by
`opentrail-bench make-trail`.

    python3 bench/upload_to_s3.py --endpoint http://127.0.0.1:PORT --bucket NAME --dir DIR/buckets/NAME

Every file below DIR is put under its relative path (`/` separators) with PutObject;
`<key>.meta.json` sidecars become the object's user metadata (`signature`,
`signature-algorithm`, ...: sent as x-amz-meta-*) and are not uploaded themselves;
`.tmp-*` files (writes in progress) are skipped. The bucket is created when missing.
Credentials come from the environment (any value does for moto). Prints one line:
objects, bytes, seconds.
"""
import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

SIDECAR = ".meta.json"
TEMP_PREFIX = ".tmp-"


def objects(root):
    """(key, path, metadata) of every object below root, sorted by key."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(SIDECAR) or name.startswith(TEMP_PREFIX):
                continue
            path = os.path.join(folder, name)
            key = os.path.relpath(path, root).replace(os.sep, "/")
            metadata = {}
            sidecar = path + SIDECAR
            if os.path.isfile(sidecar):
                with open(sidecar, encoding="utf-8") as file:
                    metadata = json.load(file)
            found.append((key, path, metadata))
    found.sort()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="S3 endpoint URL")
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--dir", required=True, help="the local bucket directory")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    client = boto3.client(
        "s3",
        endpoint_url=args.endpoint,
        region_name=args.region,
        config=Config(max_pool_connections=args.threads, s3={"addressing_style": "path"}),
    )
    existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    if args.bucket not in existing:
        if args.region == "us-east-1":
            client.create_bucket(Bucket=args.bucket)
        else:
            client.create_bucket(
                Bucket=args.bucket,
                CreateBucketConfiguration={"LocationConstraint": args.region},
            )

    def put(item):
        key, path, metadata = item
        with open(path, "rb") as file:
            body = file.read()
        client.put_object(Bucket=args.bucket, Key=key, Body=body, Metadata=metadata)
        return len(body)

    items = objects(args.dir)
    if not items:
        sys.exit(f"upload_to_s3: no object below `{args.dir}`")
    started = time.time()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        total = sum(pool.map(put, items))
    elapsed = time.time() - started
    print(
        f"uploaded {len(items)} objects, {total / 1e9:.2f} GB, in {elapsed:.1f} s "
        f"({total / 1e6 / max(elapsed, 1e-9):.0f} MB/s) to s3://{args.bucket} at {args.endpoint}"
    )


if __name__ == "__main__":
    main()
