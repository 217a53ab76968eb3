//go:build !linux

package capture

import (
	"errors"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Live is not available on this system: see OpenLive.
type Live struct{}

// OpenLive fails with ErrUnsupported: live capture here is Linux only;
// the sandbox network records its own traffic on every system.
func OpenLive(ifname string, prog []bpf.Instruction) (*Live, error) {
	return nil, ErrUnsupported
}

// LinkType is Ethernet.
func (l *Live) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// ReadPacketData fails with ErrUnsupported.
func (l *Live) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, ErrUnsupported
}

// Stats fails with ErrUnsupported.
func (l *Live) Stats() (received, dropped uint32, err error) { return 0, 0, ErrUnsupported }

// Pending is false: nothing is ever queued.
func (l *Live) Pending() bool { return false }

// SetReadBuffer fails with ErrUnsupported.
func (l *Live) SetReadBuffer(bytes int) error { return ErrUnsupported }

// Close does nothing.
func (l *Live) Close() error { return nil }

// CanCapture reports that live capture is unsupported.
func CanCapture() error { return errors.Join(ErrUnsupported) }

// Loopback is the name of the loopback interface on this system.
const Loopback = "lo0"
