; Syntax problems in a Python file: parse errors and tokens the parser had to invent.
(ERROR) @error
(MISSING) @missing
