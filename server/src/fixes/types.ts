/** A text edit in a workspace file; offsets are UTF-16 offsets into the file's current text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}
