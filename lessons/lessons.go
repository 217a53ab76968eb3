// Package lessons holds the course's lessons, each in its own file: its
// steps, the component it starts, the traffic it drives, and the quiz
// it makes from the capture. The text lives in content/<lang>/<id>.md.
package lessons

import "wiretutor/engine/course"

// All returns the lessons in course order.
func All() []*course.Lesson {
	return []*course.Lesson{
		TCPHandshake(),
		Sockets(),
		TCPTeardown(),
		Chat(),
		UDPEcho(),
		HTTPRaw(),
		HTTPAPIToken(),
		Ping(),
		Filters(),
	}
}

// Find returns the lesson with the id, or nil.
func Find(id string) *course.Lesson {
	for _, l := range All() {
		if l.ID == id {
			return l
		}
	}
	return nil
}
