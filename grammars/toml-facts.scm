; Syntax problems in a TOML file: parse errors and tokens the parser had to invent.
(ERROR) @error
(MISSING) @missing
