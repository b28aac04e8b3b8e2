// memcon: curation in place on the compare view (progressive enhancement of the curation forms).
"use strict";
