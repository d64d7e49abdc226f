// A CodeMirror 6 editor for Python: syntax, indentation, bracket matching, history, search.
import { basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { indentUnit } from "@codemirror/language";

// Drafts survive a reload: each document is kept in localStorage under its own key.
const saveDraft = (key) =>
  EditorView.updateListener.of((update) => {
    if (key && update.docChanged) {
      try {
        localStorage.setItem(key, update.state.doc.toString());
      } catch {
        // storage full or disabled: the editor still works, the draft is just not kept
      }
    }
  });

export function draft(key, fallback) {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

export function pythonState(doc, key = null) {
  return EditorState.create({
    doc,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      indentUnit.of("    "),
      EditorState.tabSize.of(4),
      saveDraft(key),
    ],
  });
}

export function pythonEditor(parent, doc, key = null) {
  const view = new EditorView({ state: pythonState(doc, key), parent });
  // Tests and scripts read the code from the page.
  parent.dataset.ready = "true";
  return view;
}
