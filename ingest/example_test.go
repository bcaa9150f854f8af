package ingest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/slant-news/slant/ingest"
)

// Expand turns arguments into sources, Load reads each one; a bad argument
// costs only itself.
func Example() {
	srcs, errs := ingest.Expand([]string{"testdata/article1001.txt", "testdata/missing.txt"})
	for _, err := range errs {
		fmt.Println("skipped:", err)
	}
	for _, src := range srcs {
		a, err := ingest.Load(context.Background(), src, os.Stdin, ingest.Options{})
		if err != nil {
			fmt.Println("skipped:", err)
			continue
		}
		fmt.Printf("%s %q [%d:%d]\n", a.ID, a.Title, a.TitleSpan.Start, a.TitleSpan.End)
	}
	// Output:
	// skipped: testdata/missing.txt: no such file or directory
	// 1001 "Harbour town votes to rebuild its “floating” library 📚" [0:61]
}

func ExampleTitle() {
	for _, s := range []string{
		"Ferry strike ends\n\nThe crews went back on Monday.\n",
		"The crews went back to work on Monday after a week-long strike over pay that had stranded thousands of islanders and cost the operator, by its own account, two million.\n\nMore.\n",
	} {
		sp, ok := ingest.Title(s)
		fmt.Println(ok, sp.Text(s))
	}
	// Output:
	// true Ferry strike ends
	// false
}
