// Ask before deleting a session for good.
const form = document.getElementById("delete-form");
if (form) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm("Delete this session and everything stored with it?")) event.preventDefault();
  });
}
