// A CodeMirror 6 editor for Python: syntax, indentation, bracket matching, history, search.
import { basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { indentUnit } from "@codemirror/language";

export function pythonState(doc) {
  return EditorState.create({
    doc,
    extensions: [basicSetup, keymap.of([indentWithTab]), python(), indentUnit.of("    "), EditorState.tabSize.of(4)],
  });
}

export function pythonEditor(parent, doc) {
  const view = new EditorView({ state: pythonState(doc), parent });
  // Tests and scripts read the code from the page.
  parent.dataset.ready = "true";
  return view;
}
