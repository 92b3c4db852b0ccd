//! Form state shared by the progressively enhanced forms (REG-15): the same `<form>` posts as
//! plain HTML without JavaScript, and is submitted through a server function with it.

use leptos::prelude::*;

use crate::api::types::FormSubmission;
use crate::domain::FieldError;

/// Errors and progress of one form. `Copy`, so closures can share it freely.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<Vec<FieldError>>,
    pub form_error: RwSignal<Option<String>>,
    pub pending: RwSignal<bool>,
    submission: StoredValue<FormSubmission>,
}

impl FormState {
    /// Starts from a failed plain-HTML post, if this render is answering one.
    pub fn new() -> Self {
        crate::ui::page_scripts::want_page_script();
        let submission = use_context::<FormSubmission>().unwrap_or_default();
        Self {
            errors: RwSignal::new(submission.errors.clone()),
            form_error: RwSignal::new(submission.form_error.clone()),
            pending: RwSignal::new(false),
            submission: StoredValue::new(submission),
        }
    }

    /// A form of a page with several forms that is not the one a failed plain post answers: it
    /// starts empty, so another form's values and errors never show in it.
    pub fn unposted() -> Self {
        crate::ui::page_scripts::want_page_script();
        Self {
            errors: RwSignal::new(Vec::new()),
            form_error: RwSignal::new(None),
            pending: RwSignal::new(false),
            submission: StoredValue::new(FormSubmission::default()),
        }
    }

    /// `new()` for the form the page's URL posts to (`posted_here`), `unposted()` for the others.
    pub fn posted_here(posted_here: bool) -> Self {
        if posted_here {
            Self::new()
        } else {
            Self::unposted()
        }
    }

    /// `new()`, starting from `known` values unless this render answers a failed post (PAR-2's
    /// pre-filled form).
    pub fn prefilled(known: Vec<(String, String)>) -> Self {
        let state = Self::new();
        if !state.is_resubmission() {
            state.submission.update_value(|s| s.values.extend(known));
        }
        state
    }

    /// The value posted for `name` (never a password: those are not kept).
    pub fn value(&self, name: &str) -> String {
        self.submission.with_value(|s| s.value(name))
    }

    /// Every value posted for `name` (a checkbox group).
    pub fn values_of(&self, name: &str) -> Vec<String> {
        self.submission.with_value(|s| s.values_of(name))
    }

    /// Whether this render answers a failed plain post (its values win over stored ones).
    pub fn is_resubmission(&self) -> bool {
        self.submission.with_value(|s| !s.values.is_empty() || !s.errors.is_empty() || s.form_error.is_some())
    }

    pub fn checked(&self, name: &str) -> bool {
        self.submission.with_value(|s| s.values.get(name).is_some_and(|v| v == "on"))
    }

    pub fn error_for(&self, name: &str) -> Option<String> {
        self.errors.with(|errors| crate::domain::message_for(errors, name).map(str::to_owned))
    }

    pub fn fail(&self, err: crate::api::AppError) {
        self.errors.set(err.field_errors().to_vec());
        self.form_error.set(err.form_message());
        clear_passwords();
        focus_first_problem();
    }

    pub fn show_field_errors(&self, errors: Vec<FieldError>) {
        self.form_error.set(None);
        self.errors.set(errors);
        focus_first_problem();
    }

    /// The browser's half of every form (REG-14, REG-15): nothing while a submit is under way;
    /// the pre-check's field errors without a round trip; otherwise the server function
    /// `call`, with progress shown, its answer to `done` and its error next to the fields.
    pub fn submit<T: 'static, Fut>(
        &self,
        checked: Result<(), Vec<FieldError>>,
        call: impl FnOnce() -> Fut + 'static,
        done: impl FnOnce(T) + 'static,
    ) where
        Fut: std::future::Future<Output = Result<T, crate::api::AppError>> + 'static,
    {
        if self.pending.get_untracked() {
            return;
        }
        if let Err(errors) = checked {
            self.show_field_errors(errors);
            return;
        }
        self.pending.set(true);
        let state = *self;
        leptos::task::spawn_local(async move {
            match call().await {
                Ok(answer) => done(answer),
                Err(e) => state.fail(e),
            }
            state.pending.set(false);
        });
    }
}

/// The pre-check a browser can make of a new password without the server's settings, the
/// user's name or the common-password list: present, at most 128 characters, confirmed.
pub fn browser_password_policy() -> crate::domain::PasswordPolicy {
    crate::domain::PasswordPolicy { min_length: 1, hard_to_guess: false }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// REG-14: entered values are kept after a failed submit, passwords never (as without JS).
fn clear_passwords() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(inputs) = document().query_selector_all("input[type=\"password\"]") {
            for i in 0..inputs.length() {
                if let Some(input) = inputs.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    input.set_value("");
                }
            }
        }
    }
}

/// Moves keyboard focus to the first invalid field, or to the form alert.
fn focus_first_problem() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let document = document();
        let target = document
            .query_selector("[aria-invalid=\"true\"]")
            .ok()
            .flatten()
            .or_else(|| document.query_selector(".form-alert").ok().flatten());
        if let Some(el) = target.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// Reads the submitted form into its domain form struct, exactly as the server reads a plain
/// post (`serde_html_form`): one parser, so the browser's pre-check sees what the server will.
/// Outside the browser (server rendering) there is no submitted form: the default.
pub fn read_form<T: serde::de::DeserializeOwned + Default>(ev: &leptos::ev::SubmitEvent) -> T {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let encoded = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
            .map(|params| String::from(params.to_string()))
            .unwrap_or_default();
        serde_html_form::from_str(&encoded).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        T::default()
    }
}

/// The submit row of a form (REG-15): the button, any links given as children (Cancel, Back),
/// and the progress line a screen reader announces while the submit is under way. A second
/// click while pending does nothing (`FormState::submit`), so the button only says it is busy.
#[component]
pub fn FormActions(
    state: FormState,
    #[prop(into)] label: String,
    progress: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="form-actions">
            <button type="submit" class="button" aria-disabled=move || state.pending.get().to_string()>{label}</button>
            {children.map(|links| links())}
            <span class="progress" role="status">{move || state.pending.get().then_some(progress)}</span>
        </div>
    }
}
