package formats_test

import (
	"gloss/app/formats"
	"gloss/app/library"
)

// The fuzz oracle hands records to the store through the same conversion
// as a real import; library imports formats, so it is set from here.
func init() { formats.ToImportRecord = library.ImportRecordOf }
