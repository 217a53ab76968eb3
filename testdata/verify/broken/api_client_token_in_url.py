# BROKEN (lesson http-api-token, client role): puts the token in the
# URL (?token=...), where every server log and proxy keeps it; the
# lesson's API reads it from the Authorization header only, so it
# answers 401.
# Grade: api-sends-token fails (api.token_in_url), api-authorized fails
# (api.unauthorized).
import os
import sys
import urllib.error
import urllib.request

token = os.environ.get("WIRETUTOR_API_TOKEN", "")
try:
    with urllib.request.urlopen("http://127.0.0.1:8080/api/v1/user?token=" + token, timeout=5) as resp:
        print("status", resp.status, flush=True)
except urllib.error.HTTPError as e:
    print("refused:", e.code, e.reason, flush=True)
    sys.exit(1)
