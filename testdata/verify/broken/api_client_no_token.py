# BROKEN (lesson http-api-token, client role): calls the API without
# its token, so the API answers 401 Unauthorized.
# Grade: api-sends-token fails (api.no_token), api-authorized fails
# (api.unauthorized).
import sys
import urllib.error
import urllib.request

try:
    with urllib.request.urlopen("http://127.0.0.1:8080/api/v1/user", timeout=5) as resp:
        print("status", resp.status, flush=True)
except urllib.error.HTTPError as e:
    print("refused:", e.code, e.reason, flush=True)
    sys.exit(1)
