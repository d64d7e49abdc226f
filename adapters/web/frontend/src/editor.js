// A CodeMirror 6 editor for Python: syntax, indentation, bracket matching, history, search.
import { basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { HighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";

// Our own colours, each at least 4.5:1 against the editor's white (and its light active-line) background.
const readable = HighlightStyle.define([
  { tag: tags.keyword, color: "#6a1b9a" },
  { tag: [tags.atom, tags.bool, tags.null], color: "#1a237e" },
  { tag: [tags.number, tags.literal], color: "#1b5e20" },
  { tag: tags.string, color: "#a31515" },
  { tag: [tags.special(tags.string), tags.regexp, tags.escape], color: "#9a3400" },
  { tag: tags.definition(tags.variableName), color: "#0d47a1" },
  { tag: [tags.typeName, tags.className, tags.namespace], color: "#00695c" },
  { tag: tags.comment, color: "#6b4c00", fontStyle: "italic" },
  { tag: tags.invalid, color: "#b00020" },
]);

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

const narrow = () => typeof window !== "undefined" && window.matchMedia?.("(max-width: 640px)").matches;

export function pythonState(doc, key = null) {
  return EditorState.create({
    doc,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      syntaxHighlighting(readable),
      indentUnit.of("    "),
      EditorState.tabSize.of(4),
      saveDraft(key),
      // Screen readers hear how to leave: Tab indents, so Escape then Tab moves focus on.
      EditorView.contentAttributes.of({ "aria-label": "Code editor", "aria-describedby": "editor-help", tabindex: "0" }),
      // On a phone long lines wrap instead of scrolling the editor sideways.
      ...(narrow() ? [EditorView.lineWrapping] : []),
    ],
  });
}

export function pythonEditor(parent, doc, key = null) {
  const view = new EditorView({ state: pythonState(doc, key), parent });
  // Tests and scripts read the code from the page.
  parent.dataset.ready = "true";
  return view;
}

// Put the cursor on line `number` (1-based, clamped), scroll it into view and focus the editor.
export function goToLine(view, number) {
  const line = view.state.doc.line(Math.min(Math.max(1, number), view.state.doc.lines));
  view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
  view.focus();
}
