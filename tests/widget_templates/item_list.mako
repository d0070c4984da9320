<ul id="${widget_id}">\
% for item in items:
<li>${item}</li>\
% endfor
</ul>
