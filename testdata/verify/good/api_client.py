# The lab's API read, our own version: the token comes from an
# environment variable (never from the code), and goes in the
# Authorization header, as the Gitea-like API of the lesson asks.
import json
import os
import sys
import urllib.error
import urllib.request

token = os.environ.get("WIRETUTOR_API_TOKEN")
if not token:
    print("set WIRETUTOR_API_TOKEN first (wiretutor verify does it for you)", flush=True)
    sys.exit(2)

req = urllib.request.Request("http://127.0.0.1:8080/api/v1/user",
                             headers={"Authorization": "token " + token})
try:
    with urllib.request.urlopen(req, timeout=5) as resp:
        user = json.load(resp)
        print("status", resp.status, "user", user.get("login"), flush=True)
except urllib.error.HTTPError as e:
    print("refused:", e.code, e.reason, flush=True)
    sys.exit(1)
