package lessons_test

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	"wiretutor/engine/net/netenv"
	"wiretutor/lessons/lessontest"
)

// TestBusyPortKernel: the same on the kernel, in a network namespace of
// its own, so that the lab ports of tests running in other packages are
// left alone. Where no namespace may be made, it uses the host's
// loopback, holding the port only for the moment the exchange takes.
func TestBusyPortKernel(t *testing.T) {
	for _, tt := range busyPorts {
		t.Run(tt.lesson+"/"+tt.proto, func(t *testing.T) {
			var occupied bool
			var err error
			private := inPrivateNetns(func() {
				occupied, err = exchangeOnBusyPort(netenv.Kernel{}, lessontest.Lesson(t, tt.lesson), tt.proto, tt.port)
			})
			if !private {
				t.Log("no private network namespace: using the host's loopback")
				occupied, err = exchangeOnBusyPort(netenv.Kernel{}, lessontest.Lesson(t, tt.lesson), tt.proto, tt.port)
			}
			if !occupied {
				t.Fatalf("occupy %s port %d: %v", tt.proto, tt.port, err)
			}
			checkBindError(t, err, tt.proto, tt.port)
		})
	}
}

// inPrivateNetns runs f on a thread of its own in a new network
// namespace with its loopback up, and reports whether it could. The
// thread stays locked, so it ends with f and the namespace with it;
// f must make its sockets on its own goroutine.
func inPrivateNetns(f func()) bool {
	ran := make(chan bool)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with this goroutine
		if unix.Unshare(unix.CLONE_NEWNET) != nil || loopbackUp() != nil {
			ran <- false
			return
		}
		f()
		ran <- true
	}()
	return <-ran
}

// loopbackUp brings up lo in the calling thread's network namespace.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}
