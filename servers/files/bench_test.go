package files_test

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/files"
)

// BenchmarkTransfer: a GET of one file from the file server, beside the
// plain io.Copy of the same file over a connection of the same network:
// the protocol's cost is the ratio of the two MB/s. The kernel moves
// 100 MB, the sandbox 20 MB.
func BenchmarkTransfer(b *testing.B) {
	for _, tc := range []struct {
		name string
		size int64
		net  func(b *testing.B) netenv.Net
	}{
		{"kernel", 100_000_000, func(*testing.B) netenv.Net { return netenv.Kernel{} }},
		{"sandbox", 20_000_000, func(b *testing.B) netenv.Net {
			sb, err := netenv.NewSandbox(netenv.Impairment{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { sb.Close() })
			return sb
		}},
	} {
		dir := b.TempDir()
		path := filepath.Join(dir, "f.bin")
		if err := os.WriteFile(path, make([]byte, tc.size), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/files", func(b *testing.B) {
			n := tc.net(b)
			srv := &files.Server{Net: n, Dir: dir}
			if err := srv.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			cl := &files.Client{Net: n, Addr: srv.Addr().String()}
			b.SetBytes(tc.size)
			for b.Loop() {
				if _, err := cl.Get(context.Background(), "f.bin", io.Discard, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/io.Copy", func(b *testing.B) {
			n := tc.net(b)
			ln, err := n.Listen(context.Background(), "tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					go func(c net.Conn) {
						defer c.Close()
						f, err := os.Open(path)
						if err != nil {
							return
						}
						defer f.Close()
						io.Copy(c, f)
					}(c)
				}
			}()
			b.SetBytes(tc.size)
			for b.Loop() {
				c, err := n.Dial(context.Background(), "tcp", ln.Addr().String())
				if err != nil {
					b.Fatal(err)
				}
				if k, err := io.Copy(io.Discard, c); err != nil || k != tc.size {
					b.Fatal(k, err)
				}
				c.Close()
			}
		})
	}
}
